package actors

import "errors"

// ErrInvalidOptions reports option values of this package's sinks that
// cannot work (Buffering, Memory, Queue); Validate joins one error per
// problem, each naming its field.
var ErrInvalidOptions = errors.New("actors: invalid options")

// retryError marks a Sink error whose unwritten records should be retried
// after a supervised restart instead of being dropped.
type retryError struct{ err error }

func (e retryError) Error() string { return e.err.Error() }
func (e retryError) Unwrap() error { return e.err }

// Retry wraps err so that the handler restarts (with its supervision
// back-off) and hands the unwritten records of the batch to WriteBatch again,
// instead of dropping them. Retry(nil) is nil.
func Retry(err error) error {
	if err == nil {
		return nil
	}
	return retryError{err}
}

// IsRetry reports whether err was wrapped with Retry.
func IsRetry(err error) bool {
	var r retryError
	return errors.As(err, &r)
}
