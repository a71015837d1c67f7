package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 8080 || c.BaseURL != "http://localhost:8080" || c.ConsentAge != 13 {
		t.Fatalf("defaults: %+v", c)
	}
	if !c.JWTEphemeral || len(c.JWTKeys["dev"]) != 32 {
		t.Fatal("expected a random dev key when JWT_KEYS is unset")
	}
}

func TestLoadNamesEveryBadValue(t *testing.T) {
	_, err := Load(env(map[string]string{
		"PORT":         "eighty",
		"BASE_URL":     "ftp://x",
		"SMTP_URL":     "mail.example.com",
		"JWT_KEYS":     "k1:c2hvcnQ=",
		"DATABASE_URL": "mysql://x",
	}))
	if err == nil {
		t.Fatal("want an error")
	}
	for _, name := range []string{"PORT", "BASE_URL", "SMTP_URL", "JWT_KEYS", "DATABASE_URL"} {
		if !strings.Contains(err.Error(), name+":") {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestLoadJWTKeys(t *testing.T) {
	key := "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=" // 32 bytes
	c, err := Load(env(map[string]string{"JWT_KEYS": "a:" + key + ",b:" + key, "JWT_ACTIVE_KID": "b", "BASE_URL": "https://youthhub.example", "TICKET_KEY": key}))
	if err != nil {
		t.Fatal(err)
	}
	if c.JWTActiveKID != "b" || len(c.JWTKeys) != 2 || !c.SecureCookies {
		t.Fatalf("got %+v", c)
	}
	if _, err := Load(env(map[string]string{"JWT_KEYS": "a:" + key + ",b:" + key})); err == nil {
		t.Fatal("two keys and no active kid must be refused")
	}
}

func TestLoadTrustedProxiesAndLimits(t *testing.T) {
	c, err := Load(env(map[string]string{"TRUSTED_PROXIES": " 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32", "SIGNUPS_PER_HOUR": "0"}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range c.TrustedProxies {
		got = append(got, p.String())
	}
	if strings.Join(got, " ") != "10.0.0.0/8 192.0.2.7/32 2001:db8::/32" || c.SignUpsPerHour != 0 || c.FailedSignInsPer15Min != 50 {
		t.Fatalf("proxies %v, limits %d %d", got, c.SignUpsPerHour, c.FailedSignInsPer15Min)
	}
	if _, err := Load(env(map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8,load-balancer", "RESET_REQUESTS_PER_HOUR": "-1"})); err == nil ||
		!strings.Contains(err.Error(), "TRUSTED_PROXIES:") || !strings.Contains(err.Error(), "RESET_REQUESTS_PER_HOUR:") {
		t.Fatalf("bad values not named: %v", err)
	}
}

func TestLoadSMTPURL(t *testing.T) {
	for _, ok := range []string{"smtps://user:pa%24s@mail.example.gov.uk", "smtp://user:pass@mail.example.gov.uk:587", "smtp://localhost:25", "smtps://[2001:db8::1]:465/"} {
		if c, err := Load(env(map[string]string{"SMTP_URL": ok})); err != nil || c.SMTPURL != ok {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for bad, want := range map[string]string{
		"mail.example.gov.uk":                      "must start with smtps:// or smtp://",
		"https://secret@mail.example.gov.uk":       "must start with smtps:// or smtp://",
		"smtps://user:secret@":                     "must name the mail server's host",
		"smtp://user:secret@mail.example.gov.uk:0": "the port must be a whole number",
		"smtp://user:secret@mail.example.gov.uk:x": "is not a URL",
		"smtp://user:secret@mail.example.gov.uk/x": "nothing after the host and port",
	} {
		_, err := Load(env(map[string]string{"SMTP_URL": bad}))
		if err == nil || !strings.Contains(err.Error(), "SMTP_URL: ") || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", bad, err, want)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the error shows the password: %v", bad, err)
		}
	}
}

// A deployment on https must keep its keys across restarts: QR tickets on
// young people's phones must not turn "forged" when the server restarts or
// the JWT key is rotated.
func TestLoadNeedsFixedKeysOnHTTPS(t *testing.T) {
	key := "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=" // 32 bytes
	_, err := Load(env(map[string]string{"BASE_URL": "https://youthhub.example.gov.uk"}))
	if err == nil || !strings.Contains(err.Error(), "JWT_KEYS: must be set when BASE_URL is https") ||
		!strings.Contains(err.Error(), "TICKET_KEY: must be set when BASE_URL is https") {
		t.Fatalf("no keys on https: %v", err)
	}
	_, err = Load(env(map[string]string{"BASE_URL": "https://youthhub.example.gov.uk", "JWT_KEYS": "a:" + key}))
	if err == nil || strings.Contains(err.Error(), "JWT_KEYS") || !strings.Contains(err.Error(), "TICKET_KEY") {
		t.Fatalf("JWT keys but no ticket key on https: %v", err)
	}
	c, err := Load(env(map[string]string{"BASE_URL": "https://youthhub.example.gov.uk", "JWT_KEYS": "a:" + key, "TICKET_KEY": key}))
	if err != nil || c.JWTEphemeral || string(c.TicketKey) == "ticket:"+string(c.JWTKeys["a"]) {
		t.Fatalf("both keys on https: %+v %v", c, err)
	}
	// Development on http keeps working without them.
	if _, err := Load(env(map[string]string{"BASE_URL": "http://localhost:8080"})); err != nil {
		t.Fatal(err)
	}
}
