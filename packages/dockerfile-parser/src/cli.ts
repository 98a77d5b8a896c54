#!/usr/bin/env node
import { runCli } from './cli-main.js';

process.exitCode = runCli(process.argv.slice(2));
