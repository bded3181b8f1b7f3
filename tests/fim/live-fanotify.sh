#!/bin/sh
# live.sh with the fanotify backend: the same changes, the same documents.
FIM_BACKEND=fanotify
export FIM_BACKEND
exec sh "$(dirname "$0")/live.sh"
