package session_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/session"
)

// TestLoadConfigKeepsValuesAsWritten: a value reaches the client exactly as
// the .env file spells it. Nothing is expanded ($VAR, ${VAR}, $2024), and
// the quoting rules are the README's: single quotes keep everything, double
// quotes understand \n \r \t \" \\ \$ and nothing else, an unquoted value
// ends at a # after a space.
func TestLoadConfigKeepsValuesAsWritten(t *testing.T) {
	tests := []struct{ line, want string }{
		{`ANAPLAN_PASSWORD=Summer$2024!`, `Summer$2024!`},
		{`ANAPLAN_PASSWORD="Summer$2024!"`, `Summer$2024!`},
		{`ANAPLAN_PASSWORD='Summer$2024!'`, `Summer$2024!`},
		{`ANAPLAN_PASSWORD=$HOME`, `$HOME`},
		{`ANAPLAN_PASSWORD=${HOME}x`, `${HOME}x`},
		{`ANAPLAN_PASSWORD="$(whoami)"`, `$(whoami)`},
		{`ANAPLAN_PASSWORD=$ANAPLAN_USERNAME`, `$ANAPLAN_USERNAME`},
		{`ANAPLAN_PASSWORD=pa$$word`, `pa$$word`},
		{`ANAPLAN_PASSWORD="Summer\$2024"`, `Summer$2024`}, // the shell's escape still works
		{`ANAPLAN_PASSWORD=p#ss`, `p#ss`},
		{`ANAPLAN_PASSWORD=p#ss # a comment`, `p#ss`},
		{"ANAPLAN_PASSWORD=p#ss\t# a comment", `p#ss`},
		{`ANAPLAN_PASSWORD=#start`, `#start`},
		{`ANAPLAN_PASSWORD= # only a comment`, ``},
		{`ANAPLAN_PASSWORD='p #ss' # a comment`, `p #ss`},
		{`ANAPLAN_PASSWORD="p #ss"# a comment`, `p #ss`},
		{`ANAPLAN_PASSWORD=it's`, `it's`},
		{`ANAPLAN_PASSWORD=say"hi"`, `say"hi"`},
		{`ANAPLAN_PASSWORD="say \"hi\""`, `say "hi"`},
		{`ANAPLAN_PASSWORD="ends with a quote\""`, `ends with a quote"`},
		{`ANAPLAN_PASSWORD='"'`, `"`},
		{`ANAPLAN_PASSWORD="'"`, `'`},
		{`ANAPLAN_PASSWORD=back\slash`, `back\slash`},
		{`ANAPLAN_PASSWORD=trailing\`, `trailing\`},
		{`ANAPLAN_PASSWORD='C:\new\table'`, `C:\new\table`},
		{`ANAPLAN_PASSWORD="C:\\new"`, `C:\new`},
		{`ANAPLAN_PASSWORD="a\qb"`, `a\qb`}, // an unknown escape keeps its backslash
		{`ANAPLAN_PASSWORD="line1\nline2\ttab\r"`, "line1\nline2\ttab\r"},
		{`ANAPLAN_PASSWORD='line1\nline2'`, `line1\nline2`},
		{`ANAPLAN_PASSWORD=  spaced out  `, `spaced out`},
		{`ANAPLAN_PASSWORD="  kept  "`, `  kept  `},
		{`ANAPLAN_PASSWORD = around the equals`, `around the equals`},
		{`export ANAPLAN_PASSWORD=exported`, `exported`},
		{`  export	ANAPLAN_PASSWORD='exported'`, `exported`},
		{`ANAPLAN_PASSWORD=a=b=c`, `a=b=c`},
		{`ANAPLAN_PASSWORD=päss wörd ✓`, `päss wörd ✓`},
		{`ANAPLAN_PASSWORD=`, ``},
		{`ANAPLAN_PASSWORD=""`, ``},
		{"ANAPLAN_PASSWORD=\"multi\nline\"", "multi\nline"},
		{"ANAPLAN_PASSWORD='multi\r\nline'", "multi\nline"}, // a CRLF file's line ends are \n
		{"ANAPLAN_PASSWORD=crlf\r", "crlf"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			clearEnv(t)
			path := writeFile(t, ".env", "ANAPLAN_USERNAME=someone@example.com\n"+tt.line+"\nANAPLAN_AUTH_URL=https://eu1.auth.anaplan.com\n")
			cfg, err := session.LoadConfig(path)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Password != tt.want {
				t.Errorf("password %q, want %q", cfg.Password, tt.want)
			}
			if cfg.Username != "someone@example.com" || cfg.AuthURL != "https://eu1.auth.anaplan.com" {
				t.Errorf("the lines around it read as %q and %q", cfg.Username, cfg.AuthURL)
			}
		})
	}
}

// TestConnectSendsThePasswordAsWritten follows a password with a $ from the
// .env file to the Authorization header of the login request.
func TestConnectSendsThePasswordAsWritten(t *testing.T) {
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "ANAPLAN_") {
			t.Setenv(k, "") // restored after the test
			os.Unsetenv(k)  // so that the .env file decides
		}
	}
	const password = `Summer$2024!${HOME}$(id)\n"'`
	var mu sync.Mutex
	var gotUser, gotPassword string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gotUser, gotPassword, _ = r.BasicAuth()
		mu.Unlock()
		http.Error(w, `{"status":"FAILURE_BAD_CREDENTIAL"}`, http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	env := writeFile(t, ".env", "ANAPLAN_USERNAME=someone@example.com\n"+
		`ANAPLAN_PASSWORD="`+strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(password)+"\"\n"+
		"ANAPLAN_AUTH_URL="+srv.URL+"\nANAPLAN_API_URL="+srv.URL+"/2/0\n")
	s, err := session.Connect(session.Options{EnvFile: env})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Emulated {
		t.Fatalf("Connect chose the emulator: %s", s.Describe())
	}
	if _, err := s.Client.Token(t.Context()); err == nil {
		t.Fatal("the fake auth server refused the login, yet Token succeeded")
	}
	mu.Lock()
	defer mu.Unlock()
	if gotUser != "someone@example.com" || gotPassword != password {
		t.Errorf("login sent %q / %q, want someone@example.com / %q", gotUser, gotPassword, password)
	}
}

// TestLoadConfigErrorLines: a mistake is reported on its own line, counted
// past comments, blank lines, CRLF line ends, a byte-order mark and
// multi-line quoted values; the message never quotes the file.
func TestLoadConfigErrorLines(t *testing.T) {
	const secret = "TopSecret123"
	tests := []struct {
		name, content, want string
	}{
		{"after comments and blanks", "# settings\n\n   \n# more\nA=1\nBAD-NAME=" + secret + "\n", "line 6: invalid character in a variable name"},
		{"after a multi-line double-quoted value", "A=\"one\ntwo\nthree\"\nB=2\nNO_EQUALS " + secret + "\n", "line 5: a variable name with a space, or a line without '='"},
		{"after a multi-line single-quoted value", "A='one\n\ntwo'\n\nMY VAR=" + secret + "\n", "line 5: a variable name with a space"},
		{"after CRLF lines", "# c\r\nA=1\r\n\r\nBAD-NAME=" + secret + "\r\n", "line 4: invalid character"},
		{"after a byte-order mark", "\uFEFFA=1\nB=2\n=" + secret + "\n", "line 3: no variable name"},
		{"a word alone", "A=1\n\nJUSTAWORD\n", "line 3: no '='"},
		{"unterminated quote opened after multi-line values", "A=\"x\ny\"\nB='p\nq'\nANAPLAN_PASSWORD=\"" + secret + "\nC=3\n", "line 5: unterminated quoted value"},
		{"text after a closing quote", "A=1\n\nANAPLAN_PASSWORD='" + secret + "'x\n", "line 3: text after the closing quote"},
		{"text after a multi-line value's closing quote", "A=\"1\n2\" " + secret + "\n", "line 2: text after the closing quote"},
		{"a NUL byte", "A=1\nB=" + secret + "\x00\n", "line 2: a NUL byte"},
		{"yaml style", "A=1\nANAPLAN_PASSWORD: " + secret + "\n", "line 2: invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			path := writeFile(t, ".env", tt.content)
			_, err := session.LoadConfig(path)
			if err == nil || !strings.Contains(err.Error(), path+" "+tt.want) {
				t.Fatalf("LoadConfig error %v, want %q after the file name", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q quotes the file", err)
			}
		})
	}
}

// TestLoadConfigByteOrderMark: a .env saved by an editor that writes a
// UTF-8 byte-order mark reads like one without.
func TestLoadConfigByteOrderMark(t *testing.T) {
	clearEnv(t)
	path := writeFile(t, ".env", "\uFEFFANAPLAN_USERNAME=someone@example.com\r\nANAPLAN_PASSWORD=pw\r\n")
	cfg, err := session.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Username != "someone@example.com" || cfg.Password != "pw" {
		t.Errorf("LoadConfig = %v; want the username without the byte-order mark", cfg)
	}
}

// bigFile is a sparse file of size bytes.
func bigFile(t *testing.T, size int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "big")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// endlessFIFO is a named pipe a goroutine keeps writing to until the test
// ends: a file that never ends and whose size Stat cannot tell.
func endlessFIFO(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		line := []byte(strings.Repeat("A=1\n", 1024))
		for {
			if _, err := f.Write(line); err != nil {
				return // the reader closed its end
			}
		}
	}()
	t.Cleanup(func() {
		// Unblock a writer still waiting for a reader, then wait for it.
		if f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
		<-done
	})
	return path
}

// TestLoadConfigRefusesOversizedEnvFile: an -env pointing at a device, a
// pipe that never ends or a log file is refused after reading a little more
// than the limit, with an error naming the file and the limit.
func TestLoadConfigRefusesOversizedEnvFile(t *testing.T) {
	for name, path := range map[string]func(t *testing.T) string{
		"/dev/zero":    func(*testing.T) string { return "/dev/zero" },
		"8 GiB file":   func(t *testing.T) string { return bigFile(t, 8<<30) },
		"1 MiB + 1":    func(t *testing.T) string { return bigFile(t, 1<<20+1) },
		"endless pipe": endlessFIFO,
	} {
		t.Run(name, func(t *testing.T) {
			clearEnv(t)
			file := path(t)
			_, err := session.LoadConfig(file)
			if err == nil || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), "larger than 1 MiB") {
				t.Fatalf("LoadConfig(%s) = %v, want an error naming the file and the 1 MiB limit", file, err)
			}
		})
	}
	t.Run("directory", func(t *testing.T) {
		clearEnv(t)
		dir := t.TempDir()
		_, err := session.LoadConfig(dir)
		if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "is a directory") {
			t.Fatalf("LoadConfig(%s) = %v, want an error saying it is a directory", dir, err)
		}
	})
	t.Run("1 MiB exactly", func(t *testing.T) {
		clearEnv(t)
		content := "ANAPLAN_USERNAME=someone@example.com\n"
		content += strings.Repeat("#", 1<<20-len(content)-1) + "\n"
		if _, err := session.LoadConfig(writeFile(t, ".env", content)); err != nil {
			t.Fatalf("a .env of exactly 1 MiB: %v", err)
		}
	})
}

// TestConfigCredentialsRefusesOversizedPEM: the certificate and key files
// are read with a limit too.
func TestConfigCredentialsRefusesOversizedPEM(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     func(t *testing.T) session.Config
		setting string
	}{
		{"certificate /dev/zero", func(t *testing.T) session.Config {
			return session.Config{CertFile: "/dev/zero", KeyFile: "/dev/null"}
		}, session.EnvCertFile + "=/dev/zero"},
		{"key /dev/zero", func(t *testing.T) session.Config {
			return session.Config{CertFile: "/dev/null", KeyFile: "/dev/zero"}
		}, session.EnvKeyFile + "=/dev/zero"},
		{"certificate of 4 GiB", func(t *testing.T) session.Config {
			return session.Config{CertFile: bigFile(t, 4<<30), KeyFile: "/dev/null"}
		}, session.EnvCertFile + "="},
		{"key from an endless pipe", func(t *testing.T) session.Config {
			return session.Config{CertFile: "/dev/null", KeyFile: endlessFIFO(t)}
		}, session.EnvKeyFile + "="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tt.cfg(t).Credentials()
			if err == nil || !strings.Contains(err.Error(), tt.setting) || !strings.Contains(err.Error(), "larger than 1 MiB") {
				t.Fatalf("Credentials = %v, want an error naming %s and the 1 MiB limit", err, tt.setting)
			}
		})
	}
}

// TestConnectNamedEnvFileMustExist: ANAPLAN_ENV_FILE naming a file that is
// not there is an error, not the demo tenant; the default .env being absent
// is fine (TestConnectFallsBackToEmulator).
func TestConnectNamedEnvFileMustExist(t *testing.T) {
	clearAnaplanEnv(t)
	t.Setenv("TMPDIR", t.TempDir())
	missing := filepath.Join(t.TempDir(), "prod.env")
	t.Setenv(session.EnvFileVar, missing)
	s, err := session.Connect(session.DefaultOptions())
	if err == nil {
		defer s.Close()
		t.Fatalf("Connect with %s=%s connected to %q; want an error", session.EnvFileVar, missing, s.Describe())
	}
	if !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("error %q does not name the missing file", err)
	}
}

// TestEnvExampleReadsAsItSays: .env.example is a valid .env, each of its
// commented-out settings is valid once uncommented, and its quoting example
// reads as it says.
func TestEnvExampleReadsAsItSays(t *testing.T) {
	clearEnv(t)
	example := filepath.Join("..", "..", ".env.example")
	if _, err := session.LoadConfig(example); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	var settings int
	for _, line := range strings.Split(string(b), "\n") {
		setting, ok := strings.CutPrefix(strings.TrimLeft(line, "# "), "ANAPLAN_")
		if !ok || !strings.Contains(setting, "=") {
			continue
		}
		settings++
		if _, err := session.LoadConfig(writeFile(t, ".env", "ANAPLAN_"+setting+"\n")); err != nil {
			t.Errorf("%q uncommented: %v", line, err)
		}
	}
	if settings < 10 {
		t.Errorf("found %d settings in %s; the test no longer finds them", settings, example)
	}
	const quoted = `ANAPLAN_PASSWORD='Summer$2024! #1'`
	if !strings.Contains(string(b), quoted) {
		t.Fatalf("%s no longer shows %s", example, quoted)
	}
	cfg, err := session.LoadConfig(writeFile(t, ".env", quoted+"\n"))
	if err != nil || cfg.Password != "Summer$2024! #1" {
		t.Errorf("%s reads as %q, %v", quoted, cfg.Password, err)
	}
}

// TestUnexpandedPathSaysWhy: a .env written for a loader that expanded
// variables names a path with $HOME in it; the error says values are not
// expanded instead of only "no such file".
func TestUnexpandedPathSaysWhy(t *testing.T) {
	clearEnv(t)
	path := writeFile(t, ".env", "ANAPLAN_CERT_FILE=$HOME/keys/cert.pem\nANAPLAN_KEY_FILE=${HOME}/keys/key.pem\n")
	cfg, err := session.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfg.Credentials()
	if err == nil || !strings.Contains(err.Error(), "$HOME/keys/cert.pem: no such file") || !strings.Contains(err.Error(), "not expanded") {
		t.Errorf("Credentials = %v; want the unexpanded path and why", err)
	}
}
