/**
 * Integration tests of start_server: the real binary as a process, checked through real sockets,
 * signals and files, with fixture servers (a Python one, resources it/fixture_server.py, and a
 * tiny Java one for the inetd form) that report what they were given.
 *
 * <p>The binary under test is chosen with {@code -Dstart_server.impl}: {@code ours} (default,
 * {@code ${start_server.home}/bin/start_server}, set by failsafe to launcher/target/dist) or
 * {@code perl} (the original, /usr/bin/start_server). Every test passes against the original
 * unless the spec marks the behaviour [ours]; those skip themselves there with the reason.
 * {@link io.github.hotdeploy.launcher.it.CrossCheckIT} runs both side by side.
 *
 * <p>Running them:
 * <pre>
 * mvn -B -pl launcher -am verify -Dstart_server.impl=perl -Dit.test=LifecycleIT \
 *     -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 * ({@code -Dit.test} picks classes or {@code Class#method}; the other flags skip the unit tests
 * and the modules without these tests.) {@code -Dit.timeout.seconds=N} changes the bound of every
 * wait (default 45); a passing test never waits for it.
 *
 * <p>Needs python3, flock (util-linux) and, for the backlog and listener checks, ss (iproute2;
 * those checks skip without it).
 */
package io.github.hotdeploy.launcher.it;
