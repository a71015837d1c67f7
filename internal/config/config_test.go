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
	c, err := Load(env(map[string]string{"JWT_KEYS": "a:" + key + ",b:" + key, "JWT_ACTIVE_KID": "b", "BASE_URL": "https://youthhub.example"}))
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
