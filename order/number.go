package order

import (
	"crypto/rand"
	"math/big"
)

// RandomNumber draws a random 10-digit order number, as WHMCS does, so that numbers do not
// reveal how many orders a business takes.
func RandomNumber() int64 {
	n, _ := rand.Int(rand.Reader, big.NewInt(9_000_000_000))
	return 1_000_000_000 + n.Int64()
}
