package format

import "log/slog"

// AppendPythonStr appends Python's str() of an attribute's value, as a
// %(key)s field of a Python format writes it: a string as its text, None,
// True and False, integers in decimal, floats as Python's repr (650.0,
// 1e+16), anything else as Python would print the closest value. Encoders of
// Python's LogRecord dict (the HTTP handler's form) render values with it.
func AppendPythonStr(dst []byte, v slog.Value) []byte {
	return appendPyStr(dst, fromSlog(resolve(v)))
}

// AppendJSONValue appends v as the JSON formatter writes an attribute's
// value (slog's JSONHandler rules: strings escaped as slog escapes them,
// NaN and infinities as strings, times in RFC 3339, errors as their text).
// v must not be a group.
func AppendJSONValue(dst []byte, v slog.Value) []byte {
	v = resolve(v)
	return appendJSONValue(dst, v, v.Kind())
}
