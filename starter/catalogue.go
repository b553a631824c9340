package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/config"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/service"
)

// demoCatalogue runs `starter demo-catalogue`: `make run` calls it so that a newcomer who signs
// in to the console finds something to order. On a database without products it adds a client,
// two cPanel products (one set up on payment, one when the admin accepts), the WHM sandbox as
// their server and .com through the Namecheap sandbox; a database with products is left alone.
func demoCatalogue(cfg config.Config, log *zap.Logger, args []string) error {
	fs := flag.NewFlagSet("demo-catalogue", flag.ContinueOnError)
	whm := fs.String("whm", "127.0.0.1:2087", "the WHM sandbox's host:port")
	token := fs.String("whm-token", "sandbox-whm-token", "the WHM sandbox's API token")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errors.New("usage: starter demo-catalogue [--whm HOST:PORT] [--whm-token TOKEN]")
	}
	ctx := context.Background()
	pool, err := db.Connect(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	svc := service.New(service.Config{Pool: pool, Log: log, Secrets: cfg.Secrets})
	products, err := svc.ListProducts(ctx)
	if err != nil {
		return err
	}
	if len(products) > 0 {
		fmt.Fprintln(os.Stderr, "the catalogue has products already; nothing added")
		return nil
	}
	if _, err := svc.CreateServer(ctx, catalog.NewServer{Name: "whm-sandbox", Module: "cpanel", Hostname: *whm, Username: "root",
		Credentials: *token, MaxAccounts: 500, TLSSkipVerify: true}); err != nil {
		return fmt.Errorf("the WHM sandbox server: %w", err)
	}
	group, err := svc.CreateProductGroup(ctx, catalog.NewProductGroup{Name: "Shared Hosting"})
	if err != nil {
		return fmt.Errorf("the product group: %w", err)
	}
	for _, p := range []catalog.NewProduct{
		{Name: "Starter", Type: order.HostingAccount, Module: "cpanel", PackageName: "starter", AutoSetup: order.SetupOnPayment,
			Prices: []catalog.NewPrice{{Currency: "USD", BillingCycle: order.Monthly, Price: "9.99", SetupFee: "0"},
				{Currency: "USD", BillingCycle: order.Annually, Price: "99.00", SetupFee: "0"}}},
		{Name: "Business", Type: order.HostingAccount, Module: "cpanel", PackageName: "business", AutoSetup: order.SetupOnAccept,
			Prices: []catalog.NewPrice{{Currency: "USD", BillingCycle: order.Monthly, Price: "24.99", SetupFee: "10.00"},
				{Currency: "USD", BillingCycle: order.Annually, Price: "249.00", SetupFee: "0"}}},
	} {
		p.GroupID = &group.ID
		if _, err := svc.CreateProduct(ctx, p); err != nil {
			return fmt.Errorf("product %s: %w", p.Name, err)
		}
	}
	if _, err := svc.CreateTLD(ctx, catalog.NewTLD{TLD: ".com", RegisterPrice: "12.00", TransferPrice: "10.00", AutoRegistrar: "namecheap"}); err != nil {
		return fmt.Errorf("the .com TLD: %w", err)
	}
	if _, err := svc.CreateClient(ctx, clients.NewClient{FirstName: "Ada", LastName: "Lovelace", CompanyName: "Analytical Engines",
		Email: "ada@example.com", Address1: "1 Analytical Way", City: "London", Postcode: "N1 1AA", Country: "GB", Phone: "020 7946 0000"}); err != nil {
		return fmt.Errorf("the client: %w", err)
	}
	fmt.Fprintln(os.Stderr, "demo catalogue added: client Ada Lovelace, products Starter (set up on payment) and Business (set up on accept) in the group Shared Hosting, the WHM sandbox, .com")
	return nil
}
