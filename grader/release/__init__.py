"""Course repos: `descent release` builds the student repo, `descent ci` grades it in Actions."""
