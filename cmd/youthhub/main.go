// Command youthhub is the whole service in one binary: serve, migrate, seed,
// and admin tasks.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata"

	"github.com/jmoiron/sqlx" // Europe/London even where the system has no zoneinfo

	"youthhub/frontend"
	"youthhub/internal/account"
	"youthhub/internal/api"
	"youthhub/internal/area"
	"youthhub/internal/centre"
	"youthhub/internal/config"
	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/mail"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/postcode"
	"youthhub/internal/seed"
	"youthhub/internal/timetable"
)

const usage = `usage: youthhub <command>

commands:
  serve                         start the HTTP server
  migrate up|down|status        apply or roll back database migrations
  seed                          create the demo councils, centres and logins
  import-areas [--scope trafford|england-wales] [--data DIR]
                                import ONS small areas (LSOAs) for coverage, with
                                boundaries where the data has them; DIR defaults
                                to DEMO_DATA_DIR; all or nothing, safe to rerun
  import-postcodes FILE         load an ONS Postcode Directory-style CSV (header with
                                postcode, lat, lon) for "sessions near me"; rows with
                                no coordinates are skipped; all or nothing, safe to rerun
  admin create-council NAME [LAD_CODE]
                                add a council; prints its id
  admin invite-officer COUNCIL_ID EMAIL
                                invite a council's first officer (prints the link)
  admin create-admin EMAIL FIRST_NAME
                                create a platform admin (password from YOUTHHUB_ADMIN_PASSWORD)
  admin outbox                  list the newest e-mail: queued with its text (and
                                links), sent without it (not kept once sent)
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "youthhub:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return errors.New("no command given")
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	level := slog.LevelInfo
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	db, err := postgres.Open(ctx, cfg.DatabaseURL, cfg.DBMaxConns)
	if err != nil {
		return err
	}
	defer db.Close()

	switch args[0] {
	case "serve":
		return serve(ctx, cfg, db, log)
	case "migrate":
		cmd := "up"
		if len(args) > 1 {
			cmd = args[1]
		}
		return postgres.Migrate(ctx, db.DB, cmd)
	case "seed":
		s := &seed.Seeder{
			Accounts: &account.Service{DB: db, Now: time.Now, ConsentAge: cfg.ConsentAge, BaseURL: cfg.BaseURL, RefreshTTL: cfg.RefreshTokenTTL},
			Centres:  &centre.Service{DB: db}, DataDir: cfg.DemoDataDir, Now: time.Now,
		}
		res, err := s.Run(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Demo data ready: %d centres, %d session series, %d postcodes, %d small areas.\nDemo logins (password %q):\n",
			res.Centres, res.Series, res.Postcodes, res.Areas, seed.DemoPassword)
		for _, l := range res.Logins {
			fmt.Fprintf(stdout, "  %-22s %-16s %s\n", l.Email, l.Role, l.Note)
		}
		today := "no session today (the rota rules kept Wes off it)"
		if res.Today != "" {
			today = "worker@demo.test is rostered on today's register: " + res.Today
		}
		fmt.Fprintf(stdout, "Demo activity: %d young people without logins, %d bookings, %d register marks; %s.\n",
			res.YoungPeople, res.Bookings, res.Marks, today)
		return nil
	case "import-postcodes":
		return importPostcodes(ctx, db, args[1:], stdout)
	case "import-areas":
		return importAreas(ctx, cfg, db, args[1:], stdout)
	case "admin":
		return adminCmd(ctx, cfg, db, args[1:], getenv, stdout)
	}
	fmt.Fprint(stdout, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func serve(ctx context.Context, cfg config.Config, db *sqlx.DB, log *slog.Logger) error {
	if ok, err := postgres.AtHead(ctx, db.DB); err != nil || !ok {
		return fmt.Errorf("the database is not migrated: run `youthhub migrate up` first (%v)", err)
	}
	if cfg.JWTEphemeral {
		log.Warn("JWT_KEYS is not set: using a random signing key; sessions end when the server restarts")
	}
	spa, err := fs.Sub(frontend.Dist, "dist")
	if err != nil {
		return err
	}
	app, srv := api.New(api.Deps{Config: cfg, DB: db, Log: log, SPA: spa})

	sender := &mail.Sender{DB: db, SMTPURL: cfg.SMTPURL, From: cfg.MailFrom, Log: log}
	bg, stopBG := context.WithCancel(context.Background())
	defer stopBG()
	go sender.Run(bg, 5*time.Second)
	go every(bg, 5*time.Minute, func(ctx context.Context) {
		if _, err := srv.MarkNoShows(ctx); err != nil && ctx.Err() == nil {
			log.Error("marking no-shows failed", "error", err.Error())
		}
	})

	go every(bg, time.Hour, func(ctx context.Context) {
		if _, err := srv.ForgetIdempotencyKeys(ctx); err != nil && ctx.Err() == nil {
			log.Error("forgetting old idempotency keys failed", "error", err.Error())
		}
		if _, err := srv.ForgetPasswordResets(ctx); err != nil && ctx.Err() == nil {
			log.Error("forgetting expired password-reset links failed", "error", err.Error())
		}
		if _, err := mail.Forget(ctx, db, time.Now()); err != nil && ctx.Err() == nil {
			log.Error("forgetting old e-mails failed", "error", err.Error())
		}
	})

	tt := &timetable.Service{DB: db, Now: time.Now}
	go every(bg, 24*time.Hour, func(ctx context.Context) {
		if n, err := tt.ExtendHorizon(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log.Error("generating session occurrences failed", "error", err.Error())
		} else if n > 0 {
			log.Info("session occurrences generated", "added", n)
		}
	})

	errc := make(chan error, 1)
	go func() {
		log.Info("listening", "port", cfg.Port, "base_url", cfg.BaseURL)
		errc <- app.Listen(fmt.Sprintf(":%d", cfg.Port))
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining requests")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := app.ShutdownWithContext(sctx); err != nil {
		return err
	}
	stopBG()
	return nil
}

// importAreas runs `import-areas`: progress on stdout, the first bad row (file
// and line) as the error.
func importAreas(ctx context.Context, cfg config.Config, db *sqlx.DB, args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("import-areas", flag.ContinueOnError)
	fl.SetOutput(stdout)
	scope := fl.String("scope", area.ScopeTrafford, "trafford (139 LSOAs, mid-2024) or england-wales (35,672 LSOAs, mid-2020)")
	dir := fl.String("data", cfg.DemoDataDir, "the shared data folder")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("import-areas: unexpected %q", fl.Arg(0))
	}
	_, err := area.Import(ctx, db, area.ImportOptions{Scope: *scope, Dir: *dir, Log: stdout})
	return err
}

// importPostcodes runs `import-postcodes FILE`.
func importPostcodes(ctx context.Context, db *sqlx.DB, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("import-postcodes FILE")
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	res, err := postcode.Import(ctx, db, f)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Postcodes loaded: %d; skipped (no coordinates or not a current postcode): %d; in %s.\n",
		res.Loaded, res.Skipped, time.Since(start).Round(time.Millisecond))
	return nil
}

func adminCmd(ctx context.Context, cfg config.Config, db *sqlx.DB, args []string, getenv func(string) string, stdout io.Writer) error {
	accounts := &account.Service{DB: db, Now: time.Now, ConsentAge: cfg.ConsentAge, BaseURL: strings.TrimRight(cfg.BaseURL, "/"), RefreshTTL: cfg.RefreshTokenTTL}
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return errors.New("admin: which task?")
	}
	switch args[0] {
	case "create-council":
		if len(args) < 2 {
			return errors.New("admin create-council NAME [LAD_CODE]")
		}
		lad := ""
		if len(args) > 2 {
			lad = args[2]
		}
		c, err := accounts.CreateCouncil(ctx, args[1], lad)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, c.ID)
		return nil
	case "invite-officer":
		if len(args) < 3 {
			return errors.New("admin invite-officer COUNCIL_ID EMAIL")
		}
		if _, err := accounts.FindCouncilByID(ctx, args[1]); err != nil {
			return fmt.Errorf("no council %s", args[1])
		}
		var adminID string
		if err := db.GetContext(ctx, &adminID, `SELECT id FROM users WHERE role = 'admin' ORDER BY created_at LIMIT 1`); err != nil {
			return errors.New("create a platform admin first: youthhub admin create-admin EMAIL NAME")
		}
		_, secret, err := accounts.Invite(ctx, account.Principal{UserID: adminID, Role: auth.Admin, CouncilID: args[1]}, args[2], auth.CouncilOfficer)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s/invite/%s\n", strings.TrimRight(cfg.BaseURL, "/"), secret)
		return nil
	case "create-admin":
		if len(args) < 3 {
			return errors.New("admin create-admin EMAIL FIRST_NAME")
		}
		pw := getenv("YOUTHHUB_ADMIN_PASSWORD")
		if pw == "" {
			return errors.New("set YOUTHHUB_ADMIN_PASSWORD to the new admin's password")
		}
		email := args[1]
		u, err := accounts.CreateUser(ctx, account.User{Role: auth.Admin, Email: &email, FirstName: args[2]}, pw)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, u.ID)
		return nil
	case "outbox":
		msgs, err := mail.List(ctx, db, 50)
		if err != nil {
			return err
		}
		for _, m := range msgs {
			state, body := "queued", m.Body
			if m.SentAt != nil {
				state, body = "sent", "(sent "+m.SentAt.Format(time.RFC3339)+"; the text is not kept once sent)"
			}
			fmt.Fprintf(stdout, "#%d %s %s to %s: %s\n%s\n\n", m.ID, m.CreatedAt.Format(time.RFC3339), state, m.To, m.Subject, body)
		}
		return nil
	}
	return fmt.Errorf("admin: unknown task %q", args[0])
}

// every runs fn now and then every interval until ctx ends.
func every(ctx context.Context, interval time.Duration, fn func(context.Context)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		fn(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
