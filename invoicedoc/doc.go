// Package invoicedoc is an invoice as a document: what it shows (the seller, the client, the
// invoice with its lines, tax, totals, transactions and balance; document.go) and that
// document as a PDF (pdf.go), in the layout of WHMCS's invoicepdf.tpl
// (reference/money-and-customers.md §1.6, §6). The console's invoice page, the REST API, the
// client area and the invoice emails' attachment all read it through Load, so they show the
// same invoice.
package invoicedoc
