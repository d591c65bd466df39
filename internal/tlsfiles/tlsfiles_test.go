package tlsfiles

import (
	"crypto/tls"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestLoadErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	var c tls.Config
	if err := Load(&c, "", "", ""); err != nil || c.RootCAs != nil || len(c.Certificates) != 0 {
		t.Fatalf("nothing named: %v, roots %v, %d certificates", err, c.RootCAs, len(c.Certificates))
	}
	if err := Load(&c, notPEM, "", ""); err == nil || !strings.HasPrefix(err.Error(), "CAFile: no PEM certificate in") {
		t.Errorf("bad CA file: %v", err)
	}
	if err := Load(&c, filepath.Join(dir, "missing.pem"), "", ""); err == nil || !strings.HasPrefix(err.Error(), "CAFile: ") {
		t.Errorf("missing CA file: %v", err)
	}
	if err := Load(&c, "", notPEM, notPEM); err == nil || !strings.HasPrefix(err.Error(), "CertFile: ") {
		t.Errorf("bad key pair: %v", err)
	}
}
