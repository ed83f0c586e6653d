#!/bin/sh
# A setup script: first-time setup runs it in the guest after the computer name is set.
echo "Welcome to $(cat etc/hostname 2>/dev/null || hostname), set up by twinbox." > etc/motd
