# SPDX-License-Identifier: GPL-2.0
# Plain kexec -s round trip: each hop after the first must have been entered
# through kexec with the command line the previous hop gave it.

hop_checks()
{
	if [ "$HOP" = 0 ]; then
		check "hop 0 is a cold boot (no kexec marker)" sh -c '! grep -q kho_test.from= /proc/cmdline'
	else
		check "hop $HOP was reached by kexec from hop $((HOP - 1))" \
			sh -c "grep -q 'kho_test.from=$((HOP - 1))' /proc/cmdline"
	fi
}

next_cmdline()
{
	sed 's/ *kho_test\.from=[0-9]*//' | sed "s/\$/ kho_test.from=$HOP/"
}
