// Package mail mails log records: Python's logging.handlers.SMTPHandler,
// and a digest that turns an error storm into a few mails.
//
//	Python's class (logging.handlers)  constructor  options
//	SMTPHandler                        New          Options
//
// A config file selects it by Python's class name and sets its options by
// Python's parameter names (mailhost, fromaddr, toaddrs, subject,
// credentials, secure, timeout); a Go program builds Options and hands the
// sink to engine.NewHandler (see the package example).
//
// # One mail per record
//
// Without a digest each record is one mail in an SMTP session of its own,
// as in Python: connect, EHLO, STARTTLS and EHLO again when asked for, AUTH
// when Credentials are set, MAIL FROM, RCPT TO for each of Toaddrs, DATA,
// QUIT. The mail is the one Python builds: the headers From, To (the
// addresses joined by ","), Subject, Date (the clock's local time with a
// numeric offset), Content-Type text/plain in UTF-8,
// Content-Transfer-Encoding and MIME-Version, in that order, and the record
// as the handler formatted it. The body's transfer encoding is Python's
// choice: 7bit for ASCII and 8bit for other text when no line is longer
// than 78 octets, else quoted-printable or base64, whichever is shorter,
// written as Python's email package writes them. The tests compare the
// mails byte for byte (Date aside) with those Python's own SMTPHandler
// sends to the same server (testdata/python_smtp.py).
//
// # Digests
//
// Capacity above 1, or an Interval, makes the sink a digest: the records
// are gathered, one a line, and mailed together when Capacity of them are
// waiting, when the oldest has waited Interval, and at Close (engine
// Shutdown), whichever comes first. The subject is the first record's.
// The interval is a tick of the handler's actor (actors.Ticker), timed by
// HandlerOptions.Clock. A digest is Python's cookbook BufferingSMTPHandler
// with a clock added: an error storm of ten thousand records at Capacity
// 100 is a hundred mails, not ten thousand.
//
// The sink is not an actors.Flusher: Engine.Flush, which a handler also
// gets at the end of every burst, does not send a digest early.
//
// A record in a digest counts as written once it is gathered. A digest the
// server will not take yet (a 4xx answer, a lost connection) is kept: it
// is tried again at the next tick, and before a record would be added to a
// full one, where the failure makes the handler wait for its back-off, so
// that nothing is sent twice and the mailbox bounds what waits. A digest
// refused for good (5xx) is reported and its records are lost.
//
// # Failures
//
// Each failure is sorted by what retrying could change:
//
//   - a lost connection, a timeout or a 4xx answer: WriteBatch returns the
//     error wrapped with actors.Retry, and the handler's back-off
//     (supervision) tries the record again, and the ones after it;
//   - a 5xx answer to a recipient: the mail still goes to the recipients
//     the server took (as Python's sendmail), and the record is counted as
//     dropped under ReasonRefused ("refused");
//   - a 5xx answer to MAIL FROM or to the message: the record is counted
//     under ReasonRejected ("rejected") and the batch goes on;
//   - an AUTH the server refuses, an untrusted certificate, a missing
//     STARTTLS: the error is reported and the records are dropped (reason
//     error) without a retry, since only a change of configuration helps.
//
// Timeout bounds each step of a session (the connection, each command and
// its reply, the message), as Python's socket timeout does; its default is
// Python's 5 s. A drain's deadline (actors.Deadliner) bounds every step as
// well, and Interrupt (actors.Interrupter) ends a session in progress at
// once. The sink's class defaults (actors.Defaulter) suit a server that
// may be away for minutes: a mailbox of 1024 records that drops the newest
// rather than block callers, and a back-off of up to 5 minutes.
//
// # Security
//
// No record can add a header or a command. A line break in the subject
// (Subject or SubjectFunc) becomes a space, and addresses with a line
// break, a NUL or non-ASCII text are refused by Validate. CR, LF and CRLF
// in a record are each a line break, sent as CRLF, and a line that starts
// with "." is sent with the dot doubled, so that no bare CR or LF reaches
// the server and "<LF>.<LF>" (SMTP smuggling) cannot end the message
// early; FuzzMessage checks these properties for any subject and body.
//
// Secure asks for STARTTLS and then requires it: a server that does not
// offer it gets no mail (ErrNoStartTLS), and an attacker who strips the
// offer gets nothing either. TLS connects with TLS from the first byte
// (port 465). The server's certificate is verified against the system's
// roots, CAFile or TLSConfig. Credentials are sent only over TLS, or to a
// server on the loopback interface.
//
// # Python parity and deviations
//
//   - Secure applies with or without Credentials (Python ignores it
//     without them), and the certificate is verified (Python's STARTTLS
//     context verifies nothing).
//   - Credentials over clear text are refused off the loopback interface
//     (ErrAuthNeedsTLS); Python sends them.
//   - AUTH uses PLAIN when the server offers it, else LOGIN; Python's
//     smtplib tries CRAM-MD5 first.
//   - A subject with a line break is sent with spaces in its place; Python's
//     email package raises, and the record is lost to handleError.
//   - A long encoded subject is split into encoded words at other points
//     than Python's; it decodes to the same text.
//   - A recipient refused while others were taken counts the record as
//     refused; Python's handler does not notice.
//   - MAIL FROM carries BODY=8BITMIME when the server offers 8BITMIME
//     (Go's net/smtp adds it); Python sends no parameter.
//   - EHLO names LocalName ("localhost" by default); Python sends the fully
//     qualified host name.
//   - Failures are retried after a back-off (see Failures); Python's
//     handler reports them and loses the record.
//
// # Platforms
//
// The sink uses only the network, and works the same on every system Go
// supports.
package mail
