package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/emulator"
	"github.com/anaplan-registry/toolkit/scripts/internal/browsertest"
	"github.com/chromedp/chromedp"
)

// deviceLogin starts a client's device login in the background; the
// prompt arrives on the first channel, the API call's outcome on the second.
func deviceLogin(ctx context.Context, t *testing.T, oauthURL, apiURL, clientID string) (<-chan anaplan.DevicePrompt, <-chan error, *anaplan.Client) {
	t.Helper()
	prompts := make(chan anaplan.DevicePrompt, 1)
	creds := anaplan.DeviceAuth(clientID, anaplan.DeviceOptions{
		OAuthURL: oauthURL,
		Prompt: func(_ context.Context, p anaplan.DevicePrompt) error {
			prompts <- p
			return nil
		},
	})
	c, err := anaplan.New(creds, anaplan.WithAuthURL(oauthURL), anaplan.WithAPIURL(apiURL))
	if err != nil {
		t.Fatal(err)
	}
	result := make(chan error, 1)
	go func() {
		u, err := c.Me(ctx)
		if err == nil && u.Email != emulator.DemoUser {
			err = errors.New("the token belongs to " + u.Email)
		}
		result <- err
	}()
	return prompts, result, c
}

// TestBrowserDeviceLogin runs the whole device grant with a real browser
// on the verification page: the client asks for a code; Chromium opens the
// link, signs in, types the code, checks it and approves; the client's
// poll gets its token and calls the API. A second run opens the complete
// link (code filled in) in a fresh browser profile, signs in and denies:
// the client reports access_denied.
func TestBrowserDeviceLogin(t *testing.T) {
	browser := browsertest.New(t, 2*time.Minute).Ctx
	_, apiURL, banner, cancel, done := startRun(t, "-addr", "127.0.0.1:0", "-oauth-interval", "1s")
	defer waitRun(t, done)
	defer cancel()
	oauthURL, clientID := oauthFromBanner(t, banner.String())

	ctx, stop := context.WithTimeout(context.Background(), 2*time.Minute)
	defer stop()

	t.Run("approve", func(t *testing.T) {
		prompts, result, c := deviceLogin(ctx, t, oauthURL, apiURL, clientID)
		defer c.Close()
		p := <-prompts
		step(t, browser,
			chromedp.Navigate(p.VerificationURI),
			chromedp.WaitVisible(chromedp.ID("email")),
			chromedp.SendKeys(chromedp.ID("email"), emulator.DemoUser),
			chromedp.SendKeys(chromedp.ID("password"), emulator.DemoPassword),
			chromedp.Click(chromedp.ID("sign-in")),
			chromedp.WaitVisible(chromedp.ID("user_code")),
			chromedp.SendKeys(chromedp.ID("user_code"), p.UserCode),
			chromedp.Click(chromedp.ID("continue")),
			chromedp.WaitVisible(chromedp.ID("approve")),
		)
		shown := text(t, browser, "shown-code")
		step(t, browser, chromedp.Click(chromedp.ID("approve")), chromedp.WaitVisible(chromedp.ID("notice")))
		notice := text(t, browser, "notice")
		if shown != p.UserCode {
			t.Errorf("the page shows code %q, the device %q", shown, p.UserCode)
		}
		if !strings.Contains(notice, "approved") {
			t.Errorf("notice %q", notice)
		}
		if err := <-result; err != nil {
			t.Fatalf("the client after approval: %v", err)
		}
	})

	t.Run("deny", func(t *testing.T) {
		fresh, closeFresh := chromedp.NewContext(browser, chromedp.WithNewBrowserContext()) // no cookies: signs in again
		defer closeFresh()
		prompts, result, c := deviceLogin(ctx, t, oauthURL, apiURL, clientID)
		defer c.Close()
		p := <-prompts
		step(t, fresh,
			chromedp.Navigate(p.VerificationURIComplete),
			chromedp.WaitVisible(chromedp.ID("email")),
			chromedp.SendKeys(chromedp.ID("email"), emulator.DemoUser),
			chromedp.SendKeys(chromedp.ID("password"), emulator.DemoPassword),
			chromedp.Click(chromedp.ID("sign-in")),
			chromedp.WaitVisible(chromedp.ID("deny")),
		)
		shown := text(t, fresh, "shown-code")
		step(t, fresh, chromedp.Click(chromedp.ID("deny")), chromedp.WaitVisible(chromedp.ID("notice")))
		notice := text(t, fresh, "notice")
		if shown != p.UserCode || !strings.Contains(notice, "denied") {
			t.Errorf("shown %q (device %q), notice %q", shown, p.UserCode, notice)
		}
		err := <-result
		if !errors.Is(err, anaplan.ErrAccessDenied) || !strings.Contains(err.Error(), "access_denied") {
			t.Fatalf("the client after a denial: %v, want a clear access_denied", err)
		}
		t.Logf("the client reports: %v", err)
	})
}

// step runs browser actions, failing the test with the page on error.
func step(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("body")))
		t.Fatalf("browser: %v\npage:\n%s", err, html)
	}
}

// text is the visible text of the element with that id.
func text(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(id)))
	if err != nil {
		t.Fatalf("browser: text of #%s: %v", id, err)
	}
	return s
}
