package secrets

import "strconv"

// Binding is where a sealed value belongs: a row's column, or a purpose while the value travels
// through a workflow's history before its row exists or is known. A value sealed for one
// binding does not open for another.
type Binding struct{ ad string }

// Row binds to one column of the row with the given id.
func Row(table, column string, id int64) Binding {
	return NamedRow(table, column, strconv.FormatInt(id, 10))
}

// NamedRow binds to one column of the row with the given text key.
func NamedRow(table, column, key string) Binding {
	return Binding{ad: "hostflow\x00row\x00" + table + "\x00" + column + "\x00" + key}
}

// Transit binds a value bound for a workflow's history to its purpose and whatever identifies
// it when it is sealed. The activity that stores it rebinds it to its row.
func Transit(purpose, ref string) Binding {
	return Binding{ad: "hostflow\x00transit\x00" + purpose + "\x00" + ref}
}

func (b Binding) String() string {
	out := []byte(b.ad)
	for i, c := range out {
		if c == 0 {
			out[i] = ' '
		}
	}
	return string(out)
}

// Where hostflow keeps secrets. ResealSecrets walks the same columns.

// ServicePassword is a hosting service's account password (order_services.password).
func ServicePassword(serviceID int64) Binding { return Row("order_services", "password", serviceID) }

// DomainEPPCode is a domain's transfer code (order_domains.epp_code).
func DomainEPPCode(domainID int64) Binding { return Row("order_domains", "epp_code", domainID) }

// CartEPPCode is the EPP code of a transfer in a store's cart (cart_items.epp_code): sealed
// from the moment the customer types it, opened only at checkout.
func CartEPPCode(itemID int64) Binding { return Row("cart_items", "epp_code", itemID) }

// ServerCredentials is a server's API token or password (servers.credentials).
func ServerCredentials(serverID int64) Binding { return Row("servers", "credentials", serverID) }

// GatewaySecret is a gateway's webhook signing secret (gateways.secret).
func GatewaySecret(name string) Binding { return NamedRow("gateways", "secret", name) }

// Secrets on their way through a workflow, sealed before their row exists or is known.

// NewDomainEPPCode is the EPP code of a domain transfer being priced, before its order has an
// id: the CreateOrder activity rebinds it to the domain's row.
func NewDomainEPPCode(domain string) Binding { return Transit("workflow:new-domain-epp-code", domain) }

// NewServiceRootPassword is a new order's server root password (WHMCS's AddOrder rootpw),
// sealed at pricing for the client and the service's position in the order: the order's
// write rebinds it to the service's row.
func NewServiceRootPassword(clientID int64, position int) Binding {
	return Transit("workflow:new-service-root-password", strconv.FormatInt(clientID, 10)+"/"+strconv.Itoa(position))
}

// ServiceRootPassword is a service's server root password (order_services.root_password).
func ServiceRootPassword(serviceID int64) Binding {
	return Row("order_services", "root_password", serviceID)
}

// AcceptPassword is the account password an admin chose on accepting an order: the
// CreateAccount activity rebinds it to each service's row.
func AcceptPassword(orderID int64) Binding {
	return Transit("workflow:accept-password", strconv.FormatInt(orderID, 10))
}

// TransferEPPCode is a transfer's new EPP code given with an item action: the RegisterDomain
// activity rebinds it to the domain's row.
func TransferEPPCode() Binding { return Transit("workflow:transfer-epp-code", "") }

// ChangedPassword is a service's new account password given with a password change: the
// ChangePassword activity rebinds it to the service's row once the panel has it.
func ChangedPassword(serviceID int64) Binding {
	return Transit("workflow:changed-password", strconv.FormatInt(serviceID, 10))
}
