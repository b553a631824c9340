// Package tax works out an invoice's tax the way WHMCS keeps it, in one place, with no
// database: two levels of rules chosen by the client's country and state (the most specific
// rule of each level wins), prices exclusive (tax on top) or inclusive (tax carved out),
// level 2 compound or not, exempt clients and untaxed lines, each line rounded half away from
// zero to the currency's minor unit, as PHP's round does for WHMCS.
//
// Amounts are integer minor units, rates thousandths of a percent: there is no float on the
// path. The adapters store rules and settings; ordering asks Compute when it prices an order.
package tax
