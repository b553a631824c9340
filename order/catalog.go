package order

// BillingCycle is how often a service is billed.
type BillingCycle string

// A billing cycle with WHMCS's name for it (GetOrders, the console) and WHMCS's GetProducts
// key for its setup fee ("" for cycles WHMCS prices without one).
type CycleInfo struct {
	Cycle    BillingCycle
	Name     string
	SetupKey string
}

// Billing cycles.
const (
	Free         BillingCycle = "free"
	OneTime      BillingCycle = "onetime"
	Monthly      BillingCycle = "monthly"
	Quarterly    BillingCycle = "quarterly"
	SemiAnnually BillingCycle = "semiannually"
	Annually     BillingCycle = "annually"
	Biennially   BillingCycle = "biennially"
	Triennially  BillingCycle = "triennially"
)

// BillingCycles is the one table of billing cycles, shortest first.
var BillingCycles = []CycleInfo{
	{Free, "Free Account", ""},
	{OneTime, "One Time", ""},
	{Monthly, "Monthly", "msetupfee"},
	{Quarterly, "Quarterly", "qsetupfee"},
	{SemiAnnually, "Semi-Annually", "ssetupfee"},
	{Annually, "Annually", "asetupfee"},
	{Biennially, "Biennially", "bsetupfee"},
	{Triennially, "Triennially", "tsetupfee"},
}

// Name is WHMCS's name of the cycle ("Semi-Annually"); "" for an unknown cycle.
func (c BillingCycle) Name() string {
	for _, b := range BillingCycles {
		if b.Cycle == c {
			return b.Name
		}
	}
	return ""
}

// Valid reports whether c is a billing cycle.
func (c BillingCycle) Valid() bool { return c.Name() != "" }

// ProductType is WHMCS's kind of product.
type ProductType string

// Product types.
const (
	HostingAccount  ProductType = "hostingaccount"
	ResellerAccount ProductType = "reselleraccount"
	Server          ProductType = "server"
	OtherProduct    ProductType = "other"
)

// ProductTypes is the one table of product types with WHMCS's names for them.
var ProductTypes = []struct {
	Type ProductType
	Name string
}{
	{HostingAccount, "Hosting Account"},
	{ResellerAccount, "Reseller Account"},
	{Server, "Dedicated/VPS Server"},
	{OtherProduct, "Other Product/Service"},
}

// Name is WHMCS's name of the product type; "" for an unknown type.
func (t ProductType) Name() string {
	for _, p := range ProductTypes {
		if p.Type == t {
			return p.Name
		}
	}
	return ""
}

// Valid reports whether t is a product type.
func (t ProductType) Valid() bool { return t.Name() != "" }
