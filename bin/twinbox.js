#!/usr/bin/env node
import '../build/dist/cli.js';
