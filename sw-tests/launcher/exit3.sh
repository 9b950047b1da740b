#!/bin/sh
# Guest side of the launcher test: a script's exit status must become the launcher's.
echo "exit3: exiting with status 3"
exit 3
