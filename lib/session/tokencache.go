package session

import (
	"os"
	"path/filepath"
)

// EnvTokenCache names the token cache directory the scripts and notebooks
// use ("off" disables it); see DefaultTokenCacheDir.
const EnvTokenCache = "ANAPLAN_TOKEN_CACHE"

// DefaultTokenCacheDir is where scripts and notebooks keep tokens between
// runs: $ANAPLAN_TOKEN_CACHE, or anaplan-registry/tokens under the user's
// cache directory (~/.cache on Linux). It returns "" when the cache is
// turned off (ANAPLAN_TOKEN_CACHE=off) or no cache directory exists.
func DefaultTokenCacheDir() string {
	switch v := os.Getenv(EnvTokenCache); v {
	case "off", "false", "0", "none":
		return ""
	case "":
		dir, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		return filepath.Join(dir, "anaplan-registry", "tokens")
	default:
		return v
	}
}
