// Package examples holds the config files and programs the README uses, so
// that every command of the README runs as written from a clone of the
// repository; its test runs them.
package examples
