package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/testdb"
)

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestThrottleHoldsAcrossTwoServerProcesses builds the real binary and runs
// two server processes on one database: ten failed sign-ins spread over
// both lock the account on both. SIGTERM then stops a server cleanly.
func TestThrottleHoldsAcrossTwoServerProcesses(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "youthhub")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dbURL := testdb.URL(t)
	hash, err := auth.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(context.Background(), dbURL, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO users (role, email, password_hash, first_name, date_of_birth) VALUES ('young_person', 'sam@example.test', $1, 'Sam', '2011-01-01')`, hash); err != nil {
		t.Fatal(err)
	}
	db.Close()
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	var bases []string
	var procs []*exec.Cmd
	for range 2 {
		port := freePort(t)
		cmd := exec.Command(bin, "serve")
		cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, fmt.Sprintf("PORT=%d", port), "JWT_KEYS=k:"+key, "LOG_LEVEL=error")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		procs = append(procs, cmd)
		bases = append(bases, fmt.Sprintf("http://127.0.0.1:%d", port))
	}
	for _, b := range bases {
		ready := false
		for range 150 {
			if res, err := http.Get(b + "/readyz"); err == nil {
				res.Body.Close()
				if res.StatusCode == 200 {
					ready = true
					break
				}
			}
			time.Sleep(100 * time.Millisecond)
		}
		if !ready {
			t.Fatalf("%s never became ready", b)
		}
	}
	login := func(base, pw string) *http.Response {
		res, err := http.Post(base+"/api/v1/auth/login", "application/json",
			strings.NewReader(`{"email":"sam@example.test","password":"`+pw+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	for i := range 10 {
		if res := login(bases[i%2], "not my password at all"); res.StatusCode != 401 {
			t.Fatalf("attempt %d: %d", i+1, res.StatusCode)
		}
	}
	for _, b := range bases {
		res := login(b, "correct horse battery staple")
		if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
			t.Fatalf("%s after 10 failures: %d (Retry-After %q)", b, res.StatusCode, res.Header.Get("Retry-After"))
		}
	}
	// SIGTERM: the server drains and exits with status 0.
	if err := procs[0].Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- procs[0].Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("server exited with %v after SIGTERM", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("server did not stop after SIGTERM")
	}
}
