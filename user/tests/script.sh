#!/bin/exec_target script-arg
