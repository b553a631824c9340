package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"go.uber.org/zap"
	"golang.org/x/term"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/config"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/service"
)

// The first console admin, created at start-up when no admin has its email; never overwritten.
const (
	envAdminEmail    = "HOSTFLOW_ADMIN_EMAIL"
	envAdminPassword = "HOSTFLOW_ADMIN_PASSWORD"
	envAdminName     = "HOSTFLOW_ADMIN_NAME"
)

// checkFirstAdmin refuses one of the first admin's email and password without the other.
func checkFirstAdmin() error {
	email, password := os.Getenv(envAdminEmail), os.Getenv(envAdminPassword)
	if (email == "") != (password == "") {
		return fmt.Errorf("set both %s and %s, or neither", envAdminEmail, envAdminPassword)
	}
	if password != "" && len(password) < access.AdminPasswordMin {
		return fmt.Errorf("%s is %d characters long; use at least %d", envAdminPassword, len(password), access.AdminPasswordMin)
	}
	return nil
}

// ensureFirstAdmin creates the configured first admin once: an admin with that email already
// keeps its password and name.
func ensureFirstAdmin(ctx context.Context, svc *service.Service, log *zap.Logger) error {
	email, password := os.Getenv(envAdminEmail), os.Getenv(envAdminPassword)
	if email == "" {
		return nil
	}
	name := os.Getenv(envAdminName)
	if name == "" {
		name = "Admin"
	}
	a, created, err := svc.CreateAdmin(ctx, email, name, password)
	if err != nil {
		return fmt.Errorf("%s: %w", envAdminEmail, err)
	}
	if created {
		log.Info("console admin created", zap.String("email", a.Email))
	}
	return nil
}

// errAdminExists makes `starter admin create` exit with status 3, so that a script can tell
// an admin that exists from a failure.
var errAdminExists = errors.New("an admin with that email exists already; nothing changed")

// adminCommand runs `starter admin create --email EMAIL --name NAME`: it reads the password
// from the terminal without echo, or one line from standard input when that is not a terminal.
func adminCommand(cfg config.Config, log *zap.Logger, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: starter admin create --email EMAIL --name NAME")
	}
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	email := fs.String("email", "", "the admin's email (they sign in with it)")
	name := fs.String("name", "", "the admin's name")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" || *name == "" || fs.NArg() > 0 {
		return errors.New("usage: starter admin create --email EMAIL --name NAME")
	}
	password, err := readPassword(os.Stdin, os.Stderr)
	if err != nil {
		return err
	}
	ctx := context.Background()
	pool, err := db.Connect(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	svc := service.New(service.Config{Pool: pool, Log: log})
	a, created, err := svc.CreateAdmin(ctx, *email, *name, password)
	if err != nil {
		return err
	}
	if !created {
		fmt.Fprintf(os.Stderr, "%s: %v\n", a.Email, errAdminExists)
		pool.Close()
		os.Exit(3)
	}
	fmt.Fprintf(os.Stderr, "admin %s (%s) created; sign in at /admin/login\n", a.Email, a.Name)
	return nil
}

// readPassword asks for a password on a terminal, twice and without echo; from a pipe it reads
// one line.
func readPassword(in *os.File, prompt io.Writer) (string, error) {
	if !term.IsTerminal(int(in.Fd())) {
		line, err := bufio.NewReader(io.LimitReader(in, access.AdminPasswordMax+2)).ReadString('\n')
		if err != nil && !(errors.Is(err, io.EOF) && line != "") {
			return "", errors.New("no password on standard input")
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fmt.Fprint(prompt, "Password: ")
	first, err := term.ReadPassword(int(in.Fd()))
	fmt.Fprintln(prompt)
	if err != nil {
		return "", err
	}
	fmt.Fprint(prompt, "Password again: ")
	second, err := term.ReadPassword(int(in.Fd()))
	fmt.Fprintln(prompt)
	if err != nil {
		return "", err
	}
	if string(first) != string(second) {
		return "", errors.New("the passwords differ")
	}
	return string(first), nil
}
