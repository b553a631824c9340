package stripe

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Event is an event the sandbox made, with the JSON body it posts.
type Event struct {
	ID      string
	Type    string
	Payload []byte
}

// Delivery is one attempt to post an event to the endpoint.
type Delivery struct {
	EventID string
	Type    string
	Status  int    // the endpoint's HTTP status; 0 if it did not answer
	Err     string // why it did not answer
	At      time.Time
}

// event is Stripe's event object as a webhook endpoint receives it.
type event struct {
	ID              string       `json:"id"`
	Object          string       `json:"object"`
	APIVersion      string       `json:"api_version"`
	Created         int64        `json:"created"`
	Data            eventData    `json:"data"`
	Livemode        bool         `json:"livemode"`
	PendingWebhooks int          `json:"pending_webhooks"`
	Request         eventRequest `json:"request"`
	Type            string       `json:"type"`
}

type eventData struct {
	Object             any `json:"object"`
	PreviousAttributes any `json:"previous_attributes,omitempty"`
}

// eventRequest names the API request that caused the event; both are null for what a
// customer did on a hosted page.
type eventRequest struct {
	ID             *string `json:"id"`
	IdempotencyKey *string `json:"idempotency_key"`
}

// newEvent records an event with a snapshot of obj (the caller holds s.mu).
func (s *Server) newEvent(typ string, obj, previous any, req eventRequest) Event {
	pending := 0
	if s.cfg.WebhookURL != "" {
		pending = 1
	}
	e := event{ID: newID("evt_"), Object: "event", APIVersion: APIVersion, Created: time.Now().Unix(),
		Data: eventData{Object: obj, PreviousAttributes: previous}, Livemode: s.livemode(), PendingWebhooks: pending,
		Request: req, Type: typ}
	ev := Event{ID: e.ID, Type: typ, Payload: marshal(e)}
	s.events = append(s.events, ev)
	return ev
}

// Sign is the Stripe-Signature header for payload at t: t=<unix time>,v1=<hex HMAC-SHA256 of
// "<t>.<payload>" keyed with the whole whsec_ secret>, Stripe's scheme.
func Sign(payload []byte, secret string, t time.Time) string {
	mac := hmac.New(sha256.New, []byte(secret))
	ts := strconv.FormatInt(t.Unix(), 10)
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(payload)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// send posts an event to the endpoint once, signed now, and records the attempt. Any 2xx is
// success, as for Stripe.
func (s *Server) send(ev Event) Delivery {
	d := Delivery{EventID: ev.ID, Type: ev.Type, At: time.Now()}
	req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, s.cfg.WebhookURL, bytes.NewReader(ev.Payload))
	if err == nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
		req.Header.Set("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
		req.Header.Set("Stripe-Signature", Sign(ev.Payload, s.cfg.WebhookSecret, time.Now()))
		var resp *http.Response
		if resp, err = s.cfg.HTTPClient.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			_ = resp.Body.Close()
			d.Status = resp.StatusCode
		}
	}
	if err != nil {
		d.Err = err.Error()
	}
	s.mu.Lock()
	s.deliveries = append(s.deliveries, d)
	s.mu.Unlock()
	return d
}

func (d Delivery) ok() bool { return d.Status >= 200 && d.Status < 300 }

// deliver sends an event and, if the endpoint does not take it, tries again in the background
// with growing pauses, as Stripe retries (its pauses are hours; these are seconds, for a
// developer's machine). It reports whether the first attempt was taken.
func (s *Server) deliver(ev Event) bool {
	if s.cfg.WebhookURL == "" {
		return false
	}
	if s.send(ev).ok() {
		return true
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		pause := time.Second
		for range 6 {
			select {
			case <-s.ctx.Done():
				return
			case <-time.After(pause):
			}
			if s.send(ev).ok() {
				return
			}
			pause *= 2
		}
	}()
	return false
}

// deliverLater sends an event after the API call that caused it has answered, as Stripe's
// events never hold up the request.
func (s *Server) deliverLater(ev Event) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.deliver(ev)
	}()
}

// Resend posts an event again, freshly signed, as the Dashboard's and the CLI's "resend" do:
// the endpoint sees the same event id a second time.
func (s *Server) Resend(eventID string) (Delivery, error) {
	s.mu.Lock()
	var found *Event
	for i := range s.events {
		if s.events[i].ID == eventID {
			found = &s.events[i]
		}
	}
	s.mu.Unlock()
	switch {
	case found == nil:
		return Delivery{}, fmt.Errorf("no such event: %s", eventID)
	case s.cfg.WebhookURL == "":
		return Delivery{}, fmt.Errorf("no webhook endpoint configured")
	}
	return s.send(*found), nil
}

// Events returns the events made so far, oldest first.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event(nil), s.events...)
}

// Deliveries returns every attempt to post an event, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}
