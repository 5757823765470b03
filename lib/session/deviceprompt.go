package session

import (
	"context"
	"encoding/base64"
	"html"
	"net/url"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// emulatorOAuth is the OAuth service of the built-in emulator. Nobody
// can be expected at a verification page that lives only as long as one
// program (a script run, a notebook cell), so every code is approved at
// once as the demo user; and it asks for a poll every second, not 5.
var emulatorOAuth = emulator.OAuthOptions{PollInterval: time.Second, ApproveAs: emulator.DemoUser}

// prompt is the device login prompt opts ask for; emulated marks the
// built-in emulator's, whose HTML is masked (see maskedDevicePrompt).
func (o Options) prompt(emulated bool) func(context.Context, anaplan.DevicePrompt) error {
	switch {
	case o.DevicePrompt != nil:
		return o.DevicePrompt
	case o.DevicePromptHTML != nil:
		show := o.DevicePromptHTML
		return func(_ context.Context, p anaplan.DevicePrompt) error {
			if emulated {
				show(maskedDevicePromptHTML(p))
			} else {
				show(DevicePromptHTML(p))
			}
			return nil
		}
	}
	return nil // Config.credentials prints on stderr
}

// link is where the user goes: the link with the code in it when the
// service sends one.
func link(p anaplan.DevicePrompt) string {
	if p.VerificationURIComplete != "" {
		return p.VerificationURIComplete
	}
	return p.VerificationURI
}

// DevicePromptHTML shows a device login prompt as HTML that needs no
// external asset: the link (the code in it), the code to confirm, and a
// QR code of the link as an inline PNG, for a phone. Every value is
// escaped; a link that is not http(s) is shown but not linked.
func DevicePromptHTML(p anaplan.DevicePrompt) string {
	l := link(p)
	var b strings.Builder
	b.WriteString(`<div class="device-login"><p>To log in, open `)
	if u, err := url.Parse(l); err == nil && (u.Scheme == "https" || u.Scheme == "http") {
		b.WriteString(`<a href="` + html.EscapeString(l) + `" target="_blank" rel="noopener">` + html.EscapeString(l) + `</a>`)
	} else {
		b.WriteString(`<code>` + html.EscapeString(l) + `</code>`)
	}
	b.WriteString(` and confirm the code <strong><code>` + html.EscapeString(p.UserCode) + `</code></strong>.</p>`)
	if png, err := qrcode.Encode(l, qrcode.Medium, 192); err == nil {
		b.WriteString(`<img alt="QR code of the link" width="192" height="192" src="data:image/png;base64,` +
			base64.StdEncoding.EncodeToString(png) + `">`)
	}
	b.WriteString(`</div>`)
	return b.String()
}

// maskedDevicePromptHTML is the built-in emulator's prompt: its port and
// codes differ on every run, and a notebook's committed output must not,
// so the link shows ‹port›, the code its shape, and no QR code is drawn
// (a QR code of a masked link would open nothing). The emulator approves
// the code by itself (emulatorOAuth); on Anaplan, the user opens the link.
func maskedDevicePromptHTML(p anaplan.DevicePrompt) string {
	l := link(p)
	if u, err := url.Parse(l); err == nil {
		l = newMasker(u).text(l)
	}
	code := "‹varies: " + shape(p.UserCode) + "›"
	l = strings.ReplaceAll(l, url.QueryEscape(p.UserCode), code)
	return `<div class="device-login"><p>To log in, open <code>` + html.EscapeString(l) +
		`</code> and confirm the code <strong><code>` + html.EscapeString(code) + `</code></strong>.</p>` +
		`<p><em>The built-in emulator approves the code at once as ` + html.EscapeString(emulator.DemoUser) +
		`. On Anaplan this box links the page and shows a QR code of the link: you open it and approve the code yourself.</em></p></div>`
}
