package syslog

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/actorlog/actorlog/record"
)

// Priorities (severities) and facilities, with Python's values
// (logging.handlers.SysLogHandler.LOG_*).
const (
	LogEmerg   = 0
	LogAlert   = 1
	LogCrit    = 2
	LogErr     = 3
	LogWarning = 4
	LogNotice  = 5
	LogInfo    = 6
	LogDebug   = 7

	LogKern     = 0
	LogUser     = 1
	LogMail     = 2
	LogDaemon   = 3
	LogAuth     = 4
	LogSyslog   = 5
	LogLPR      = 6
	LogNews     = 7
	LogUUCP     = 8
	LogCron     = 9
	LogAuthpriv = 10
	LogFTP      = 11
	LogNTP      = 12
	LogSecurity = 13
	LogConsole  = 14
	LogSolCron  = 15
	LogLocal0   = 16
	LogLocal1   = 17
	LogLocal2   = 18
	LogLocal3   = 19
	LogLocal4   = 20
	LogLocal5   = 21
	LogLocal6   = 22
	LogLocal7   = 23
)

// priorityNames is Python's SysLogHandler.priority_names.
var priorityNames = map[string]int{
	"alert": LogAlert, "crit": LogCrit, "critical": LogCrit, "debug": LogDebug,
	"emerg": LogEmerg, "err": LogErr, "error": LogErr, "info": LogInfo,
	"notice": LogNotice, "panic": LogEmerg, "warn": LogWarning, "warning": LogWarning,
}

// facilityNames is Python's SysLogHandler.facility_names.
var facilityNames = map[string]int{
	"auth": LogAuth, "authpriv": LogAuthpriv, "console": LogConsole, "cron": LogCron,
	"daemon": LogDaemon, "ftp": LogFTP, "kern": LogKern, "lpr": LogLPR, "mail": LogMail,
	"news": LogNews, "ntp": LogNTP, "security": LogSecurity, "solaris-cron": LogSolCron,
	"syslog": LogSyslog, "user": LogUser, "uucp": LogUUCP,
	"local0": LogLocal0, "local1": LogLocal1, "local2": LogLocal2, "local3": LogLocal3,
	"local4": LogLocal4, "local5": LogLocal5, "local6": LogLocal6, "local7": LogLocal7,
}

// pythonConst is the prefix of the constants' names as a config may write
// them: ext://logging.handlers.SysLogHandler.LOG_LOCAL0.
const pythonConst = "ext://logging.handlers.SysLogHandler.LOG_"

// ParseFacility reads a facility as Python's encodePriority takes it: one of
// facility_names ("user", "local0", "solaris-cron"...) or a number from 0
// to 23. It also takes Python's constant as a config names it
// (ext://logging.handlers.SysLogHandler.LOG_LOCAL0). "" is LogUser.
func ParseFacility(s string) (int, error) {
	if s == "" {
		return LogUser, nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n < 0 || n > LogLocal7 {
			return 0, fmt.Errorf("facility %d is out of range (0 to 23)", n)
		}
		return n, nil
	}
	name := s
	if strings.HasPrefix(s, pythonConst) {
		name = strings.ToLower(strings.TrimPrefix(s, pythonConst))
		if name == "solcron" {
			name = "solaris-cron"
		}
	}
	if f, ok := facilityNames[name]; ok {
		return f, nil
	}
	return 0, fmt.Errorf("unknown facility %q (want a name of Python's facility_names, such as user or local0, or 0 to 23)", s)
}

// ParsePriority reads a priority (a severity) as Python's encodePriority
// takes it: one of priority_names ("err", "warning", "panic"...) or a number
// from 0 to 7.
func ParsePriority(s string) (int, error) {
	if n, err := strconv.Atoi(s); err == nil {
		if n < 0 || n > LogDebug {
			return 0, fmt.Errorf("priority %d is out of range (0 to 7)", n)
		}
		return n, nil
	}
	if p, ok := priorityNames[s]; ok {
		return p, nil
	}
	return 0, fmt.Errorf("unknown priority %q (want a name of Python's priority_names, such as err or info, or 0 to 7)", s)
}

// EncodePriority is Python's encodePriority for numbers: facility << 3 |
// priority, the PRI of a syslog message.
func EncodePriority(facility, priority int) int { return facility<<3 | priority }

// MapPriority is Python's mapPriority: the priority of a record of level l,
// found by the level's name (DEBUG debug, INFO info, WARNING warning, ERROR
// error, CRITICAL critical); any other name, as a custom level's, is warning.
func MapPriority(l record.Level) int {
	switch l.String() {
	case "DEBUG":
		return LogDebug
	case "INFO":
		return LogInfo
	case "WARNING":
		return LogWarning
	case "ERROR":
		return LogErr
	case "CRITICAL":
		return LogCrit
	}
	return LogWarning
}

// severityNames are RFC 5424's short names of the severities, by number:
// the canonical one of Python's priority_names for each.
var severityNames = [...]string{"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"}

// facilityByNumber is facilityNames read the other way.
var facilityByNumber = func() (out [LogLocal7 + 1]string) {
	for name, n := range facilityNames {
		out[n] = name
	}
	return out
}()

// FacilityName returns the name of facility f in Python's facility_names
// ("user", "local0", "solaris-cron"...), or its number as text when it has
// none (any value past 23).
func FacilityName(f int) string {
	if f >= 0 && f < len(facilityByNumber) {
		return facilityByNumber[f]
	}
	return strconv.Itoa(f)
}

// SeverityName returns the short name of priority (severity) p: emerg,
// alert, crit, err, warning, notice, info or debug; the number as text
// outside 0 to 7.
func SeverityName(p int) string {
	if p >= 0 && p < len(severityNames) {
		return severityNames[p]
	}
	return strconv.Itoa(p)
}

// PriorityLevel is MapPriority read back: the record level of a syslog
// priority (severity), as Python's logging names them. emerg, alert and
// crit are CRITICAL, err ERROR, warning WARNING, notice and info INFO,
// debug DEBUG; anything else is WARNING, as MapPriority sends a level it
// does not know.
func PriorityLevel(p int) record.Level {
	switch p {
	case LogEmerg, LogAlert, LogCrit:
		return record.LevelCritical
	case LogErr:
		return record.LevelError
	case LogWarning:
		return record.LevelWarning
	case LogNotice, LogInfo:
		return record.LevelInfo
	case LogDebug:
		return record.LevelDebug
	}
	return record.LevelWarning
}
