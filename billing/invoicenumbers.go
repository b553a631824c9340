package billing

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// Sequential paid invoice numbers (WHMCS's "Sequential Paid Invoice Numbering"): with the
// setting on, an invoice takes the next number as it becomes Paid, in the transaction that
// pays it. Tax law in much of the world wants the invoices a business issues numbered without
// a gap; an unpaid invoice is a proforma that may never be paid, so only paid ones count.

// numberIfPaid gives inv the next paid invoice number when the payment made it Paid (status),
// the setting asks for numbers and it has none yet (an invoice paid again after a refund keeps
// its first). It runs under the invoice's lock, in the paying transaction; the counter's row
// stays locked until that transaction ends, so concurrent payments take their numbers one
// after another, and a payment that rolls back leaves its number to the next.
func numberIfPaid(ctx context.Context, q *db.Queries, inv db.Invoice, status order.InvoiceStatus) error {
	if status != order.InvoicePaid || inv.InvoiceNum != "" {
		return nil
	}
	on, format, err := invoiceNumbering(ctx, q)
	if err != nil || !on {
		return err
	}
	n, err := q.TakeCounter(ctx, catalog.CounterPaidInvoiceNumber)
	if err != nil {
		return fault.Wrap(err, "take the next invoice number")
	}
	num := FormatInvoiceNumber(format, n, time.Now())
	return fault.Wrap(q.SetInvoiceNumber(ctx, db.SetInvoiceNumberParams{ID: inv.ID, InvoiceNum: num}), "number invoice %d", inv.ID)
}

// invoiceNumbering reads whether paid invoices are numbered, and the format.
func invoiceNumbering(ctx context.Context, q *db.Queries) (on bool, format string, err error) {
	v, err := q.GetSetting(ctx, catalog.SettingSequentialInvoiceNumbers)
	if err != nil && !dbtx.IsNoRows(err) {
		return false, "", fault.Wrap(err, "read the invoice numbering setting")
	}
	if v != "true" { // off, or never set
		return false, "", nil
	}
	format, err = q.GetSetting(ctx, catalog.SettingInvoiceNumberFormat)
	if dbtx.IsNoRows(err) || err == nil && format == "" {
		return true, catalog.DefaultInvoiceNumberFormat, nil
	}
	return true, format, fault.Wrap(err, "read the invoice number format")
}

// FormatInvoiceNumber fills a number format's tags as WHMCS does: {NUMBER} the number,
// {YEAR} four digits, {MONTH} and {DAY} two, of the day given (the day of payment, in UTC).
func FormatInvoiceNumber(format string, n int64, day time.Time) string {
	day = day.UTC()
	return strings.NewReplacer("{NUMBER}", strconv.FormatInt(n, 10), "{YEAR}", day.Format("2006"),
		"{MONTH}", day.Format("01"), "{DAY}", day.Format("02")).Replace(format)
}
