package ratelimit

import (
	"net/netip"
	"testing"
)

func TestClientIP(t *testing.T) {
	lb := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}
	cases := []struct {
		name, peer, xff string
		trusted         []netip.Prefix
		want            string
	}{
		{"no proxies configured: the header is ignored", "203.0.113.9", "1.2.3.4", nil, "203.0.113.9"},
		{"an untrusted peer's header is ignored", "203.0.113.9", "1.2.3.4", lb, "203.0.113.9"},
		{"behind the load balancer", "10.1.2.3", "198.51.100.7", lb, "198.51.100.7"},
		{"a forged address on the left is passed over", "10.1.2.3", "6.6.6.6, 198.51.100.7", lb, "198.51.100.7"},
		{"proxies in a chain are skipped", "10.1.2.3", "198.51.100.7, 10.9.9.9", lb, "198.51.100.7"},
		{"a malformed chain trusts nothing", "10.1.2.3", "198.51.100.7, not-an-ip", lb, "10.1.2.3"},
		{"only proxies: the peer", "10.1.2.3", "10.4.4.4", lb, "10.1.2.3"},
		{"no header from the proxy", "10.1.2.3", "", lb, "10.1.2.3"},
		{"IPv6 behind an IPv6 proxy: the client is its /64", "2001:db8::1", "2a00:1450::5", lb, "2a00:1450::/64"},
		{"two addresses of one /64 are one client", "2001:db8::1", "2a00:1450::1:2:3:4", lb, "2a00:1450::/64"},
		{"an IPv6 peer with no proxy", "2a00:1450:4009:81e::200e", "", nil, "2a00:1450:4009:81e::/64"},
		{"an IPv4-mapped peer", "::ffff:10.1.2.3", "198.51.100.7", lb, "198.51.100.7"},
	}
	for _, c := range cases {
		if got := ClientIP(netip.MustParseAddr(c.peer), c.xff, c.trusted); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
