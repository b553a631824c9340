package provisioning

import "context"

// Tester is what a module that can check a server's settings implements: WHMCS's Test
// Connection on the server's page. It is optional, like registrar.Manager: the "none" module
// has no server to ask. A module's wrapper (metrics) must keep it visible.
type Tester interface {
	// TestConnection asks the server who it is with the server's own credentials and answers
	// the panel's version ("11.126.0.21"); an error is the panel's refusal or why it could not
	// be reached, in words an admin can act on.
	TestConnection(ctx context.Context, s Server) (version string, err error)
}
