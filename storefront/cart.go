package storefront

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/cart"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/storefront/session"
)

type cartView struct {
	Cart cart.View
	// Cycles are, by product id, the cycles each product in the cart is sold in (the cycle
	// picker of its line).
	Cycles map[int64][]catalog.Price
	Promo  string // as typed, when refused
	Errors map[string]string
}

// Problem is the cart's refusal to be ordered as it is, for the page.
func (v cartView) Problem() string {
	if v.Cart.Problem == nil {
		return ""
	}
	if _, msg, ok := page.Refusal(v.Cart.Problem); ok {
		return msg
	}
	return v.Cart.Problem.Error()
}

// Subtotal is the lines' total before the promotion.
func (v cartView) Subtotal() int64 {
	var n int64
	for _, l := range v.Cart.Lines {
		n += l.Total()
	}
	return n
}

// loadCart reads the visitor's cart priced now, with the cycles its products are sold in.
func (s *Store) loadCart(r *http.Request, u session.Who) (cartView, error) {
	ctx, cancel := page.Context(r)
	defer cancel()
	c, err := s.svc.Cart.View(ctx, s.visitor(r, u))
	if err != nil {
		return cartView{}, err
	}
	v := cartView{Cart: c, Cycles: map[int64][]catalog.Price{}, Errors: map[string]string{}}
	if len(c.Lines) == 0 {
		return v, nil
	}
	shown, _, _, err := s.shown(ctx, c.Currency)
	if err != nil {
		return cartView{}, err
	}
	for _, sh := range shown {
		for _, p := range sh.Products {
			v.Cycles[p.ID] = p.Prices
		}
	}
	return v, nil
}

// cartPage serves GET /cart: the items, their cycles, setup fees, the promotion code and the
// total, all from the cart's view (ordering's quote).
func (s *Store) cartPage(w http.ResponseWriter, r *http.Request) {
	u, err := s.sessions.SignedIn(w, r)
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	v, err := s.loadCart(r, u)
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	s.renderCart(w, r, http.StatusOK, u, v)
}

func (s *Store) renderCart(w http.ResponseWriter, r *http.Request, status int, u session.Who, v cartView) {
	s.pages.Render(w, r, status, "cart", &page.View{Title: "Your cart", Nav: "cart", Client: u.Client, Data: v})
}

// cartChange runs one change of the cart from a form and answers with the cart: a redirect
// to it, or the cart page with the refusal where it belongs.
func (s *Store) cartChange(w http.ResponseWriter, r *http.Request, change func(u session.Who, v cart.Visitor) (string, error)) {
	if !s.pages.ReadForm(w, r) {
		return
	}
	u, err := s.sessions.SignedIn(w, r)
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	done, err := change(u, s.visitor(r, u))
	if err == nil {
		if done != "" {
			s.pages.SetFlash(w, r, page.FlashOK, done)
		}
		page.Redirect(w, r, "/cart")
		return
	}
	field, msg, ok := page.Refusal(err)
	if !ok {
		s.pages.ServerError(w, r, err)
		return
	}
	v, lerr := s.loadCart(r, u)
	if lerr != nil {
		s.pages.ServerError(w, r, lerr)
		return
	}
	if field == "promo_code" {
		v.Promo = strings.TrimSpace(r.PostForm.Get("promo_code"))
	} else {
		field = "cart"
	}
	v.Errors[field] = msg
	s.renderCart(w, r, page.RefusalStatus(err), u, v)
}

// formItem reads the item a cart form names; 0 for none, which the cart refuses as not in it.
func formItem(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PostForm.Get("item"), 10, 64)
	return id
}

// removeItem serves a line's Remove.
func (s *Store) removeItem(w http.ResponseWriter, r *http.Request) {
	s.cartChange(w, r, func(_ session.Who, v cart.Visitor) (string, error) {
		_, err := s.svc.Cart.Remove(r.Context(), v, formItem(r))
		return "The item was removed from your cart.", err
	})
}

// setCycle serves a line's billing cycle picker.
func (s *Store) setCycle(w http.ResponseWriter, r *http.Request) {
	s.cartChange(w, r, func(_ session.Who, v cart.Visitor) (string, error) {
		_, err := s.svc.Cart.SetCycle(r.Context(), v, formItem(r), order.BillingCycle(r.PostForm.Get("billingcycle")))
		return "", err
	})
}

// setPromo serves the promotion code's Apply and Remove.
func (s *Store) setPromo(w http.ResponseWriter, r *http.Request) {
	s.cartChange(w, r, func(_ session.Who, v cart.Visitor) (string, error) {
		code := r.PostForm.Get("promo_code")
		if r.PostForm.Get("op") == "remove" {
			code = ""
		}
		if strings.TrimSpace(code) != "" {
			s.ensureCart(w, r, &v)
		}
		_, err := s.svc.Cart.SetPromo(r.Context(), v, code)
		if strings.TrimSpace(code) == "" {
			return "The promotion code was removed.", err
		}
		return "The promotion code was applied.", err
	})
}

// emptyCart serves Empty Cart.
func (s *Store) emptyCart(w http.ResponseWriter, r *http.Request) {
	s.cartChange(w, r, func(_ session.Who, v cart.Visitor) (string, error) {
		return "Your cart is empty.", s.svc.Cart.Empty(r.Context(), v)
	})
}
