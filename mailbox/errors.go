package mailbox

import "errors"

// ErrBadPolicy is returned for an overflow policy that does not exist.
var ErrBadPolicy = errors.New("mailbox: unknown overflow policy")
