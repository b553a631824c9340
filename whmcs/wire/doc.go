// Package wire is the WHMCS External API's protocol, the same for every action: a request's
// form fields (params, PHP arrays, pages, dates), the answer's envelope in the three formats
// WHMCS speaks (JSON, XML, NVP), how values are spelled in answers, and WHMCS's refusals with
// their HTTP statuses. It knows no action and no rule: those are in the packages beside it.
package wire
