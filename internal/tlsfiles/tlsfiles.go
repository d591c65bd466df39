// Package tlsfiles loads the TLS material a config names by file (a CA
// bundle, a client certificate and its key) into a tls.Config: the one
// loader of the network, syslog and SMTP sinks.
package tlsfiles

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
)

// Load sets c.RootCAs from the PEM certificates of caFile (when not "") and
// adds the key pair of certFile and keyFile to c.Certificates (when
// certFile is not ""). Its errors name the file at fault, as "CAFile: ..."
// or "CertFile: ...", for the caller to wrap.
func Load(c *tls.Config, caFile, certFile, keyFile string) error {
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return fmt.Errorf("CAFile: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("CAFile: no PEM certificate in %q", caFile)
		}
		c.RootCAs = pool
	}
	if certFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return fmt.Errorf("CertFile: %w", err)
		}
		c.Certificates = append(c.Certificates, cert)
	}
	return nil
}
