#!/usr/bin/perl
# Interleaves JVM runs with and without the agent under the same inherited socket and notify
# socket, and prints the median wall time of each variant and the difference. The agent goes in
# as start_server puts it on such a command line, -agentlib:instrument=JAR; one more variant
# adopts with the classic -javaagent:JAR, which gives up CDS's archived module graph.
# usage: startup-bench.pl RUNS PORT CLASSDIR AGENTJAR JAVA...
# With APP_JAR set (the demo app), also times a real server from exec to its first HTTP response.
use strict;
use warnings;
use IO::Socket::INET;
use Socket;
use Time::HiRes qw(time sleep);

my ($runs, $port, $classes, $agent, @javas) = @ARGV;
$^F = 1023; # keep the sockets across exec
my $listener = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $port, Listen => 128,
    ReuseAddr => 1, Proto => 'tcp') or die "bind 127.0.0.1:$port: $!\n";
socketpair(my $mine, my $theirs, AF_UNIX, SOCK_DGRAM, PF_UNSPEC) or die "socketpair: $!\n";

my %cpu; # child user+sys per variant, summed: robust against other load on the machine

sub agent_option { my ($form) = @_; return $form eq 'javaagent' ? "-javaagent:$agent" : "-agentlib:instrument=$agent"; }

sub run {
    my ($java, $with_agent, $with_env, $form) = @_;
    $form //= 'agentlib';
    local $ENV{SERVER_STARTER_PORT} = "127.0.0.1:$port=" . fileno($listener) if $with_env;
    local $ENV{SERVER_STARTER_NOTIFY_FD} = fileno($theirs) if $with_env;
    delete $ENV{SERVER_STARTER_PORT} unless $with_env;
    delete $ENV{SERVER_STARTER_NOTIFY_FD} unless $with_env;
    my @cmd = ($java, '-Xshare:auto');
    push @cmd, agent_option($form) if $with_agent;
    # Without adoption the inherited port is taken: bind an ephemeral one instead.
    push @cmd, '-cp', $classes, 'StartupProbe', ($with_agent && $with_env) ? $port : 0;
    my $start = time();
    my @before = times();
    my $pid = fork();
    if ($pid == 0) {
        open STDOUT, '>', '/dev/null';
        open STDERR, '>', '/dev/null' unless $ENV{BENCH_VERBOSE};
        exec @cmd or die "exec: $!";
    }
    waitpid($pid, 0);
    die "@cmd failed: $?\n" if $?;
    my $elapsed = (time() - $start) * 1000;
    my @after = times();
    $cpu{$with_agent . $with_env . $form} += ($after[2] + $after[3] - $before[2] - $before[3]) * 1000;
    if ($with_agent && $with_env) { # drain the READY datagram, and insist on it
        my $buf = '';
        vec(my $rin = '', fileno($mine), 1) = 1;
        select($rin, undef, undef, 2) or die "no READY from the agent\n";
        recv($mine, $buf, 4096, 0);
        die "unexpected notify '$buf'\n" unless $buf =~ /READY=1/;
    }
    return $elapsed;
}

# A real server: exec to the first answered GET /health. With the agent the request goes to the
# inherited socket at once (the kernel queues it until the app accepts); without, the app binds
# the next port itself and the request waits for that port to accept connections.
sub run_app {
    my ($java, $with_agent, $with_env, $jar, $form) = @_;
    $form //= 'agentlib';
    local $ENV{SERVER_STARTER_PORT} = "127.0.0.1:$port=" . fileno($listener) if $with_env;
    local $ENV{SERVER_STARTER_NOTIFY_FD} = fileno($theirs) if $with_env;
    delete $ENV{SERVER_STARTER_PORT} unless $with_env;
    delete $ENV{SERVER_STARTER_NOTIFY_FD} unless $with_env;
    my $target = ($with_agent && $with_env) ? $port : $port + 1;
    my @cmd = ($java, '-Xshare:auto');
    push @cmd, agent_option($form) if $with_agent;
    push @cmd, '-jar', $jar, "--host=127.0.0.1", "--port=$target";
    my $start = time();
    my $pid = fork();
    if ($pid == 0) {
        open STDOUT, '>', '/dev/null';
        open STDERR, '>', '/dev/null' unless $ENV{BENCH_VERBOSE};
        exec @cmd or die "exec: $!";
    }
    my $answer = '';
    while (time() - $start < 30) {
        my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $target, Proto => 'tcp');
        if (!$c) { sleep(0.001); next; }
        print $c "GET /health HTTP/1.0\r\nHost: x\r\n\r\n";
        $answer = <$c> // '';
        last if $answer =~ m{^HTTP/1\.\d 200};
        sleep(0.001);
    }
    my $elapsed = (time() - $start) * 1000;
    kill 'KILL', $pid; # not timed; KILL so that no drain or shutdown hook lingers into the next run
    waitpid($pid, 0);
    die "@cmd: no 200 from /health within 30 s\n" unless $answer =~ m{^HTTP/1\.\d 200};
    if ($with_agent && $with_env) {
        my $buf = '';
        vec(my $rin = '', fileno($mine), 1) = 1;
        select($rin, undef, undef, 2) or die "no READY from the agent\n";
        recv($mine, $buf, 4096, 0);
    }
    return $elapsed;
}

sub median { my @s = sort { $a <=> $b } @_; my $n = @s; return $n % 2 ? $s[$n / 2] : ($s[$n / 2 - 1] + $s[$n / 2]) / 2; }

for my $java (@javas) {
    my $version = `$java -version 2>&1 | head -1`; chomp $version;
    run($java, 1, 1) for 1 .. 2; # warm the page cache and CDS archive
    run($java, 0, 1) for 1 .. 2;
    my (@plain, @inert, @active, @classic);
    %cpu = ();
    for (1 .. $runs) {
        push @plain, run($java, 0, 1);
        push @active, run($java, 1, 1);
        push @inert, run($java, 1, 0);
        push @classic, run($java, 1, 1, 'javaagent');
    }
    my ($p, $i, $a, $j) = (median(@plain), median(@inert), median(@active), median(@classic));
    my ($cp, $ci, $ca, $cj) = map { $cpu{$_} / $runs } ('01agentlib', '10agentlib', '11agentlib', '11javaagent');
    printf "%s (%d runs each, interleaved)\n", $version, $runs;
    printf "  %-36s %10s %9s %14s %9s\n", '', 'wall median', 'added', 'cpu (user+sys)', 'added';
    printf "  %-36s %8.1f ms %9s %11.1f ms %9s\n", 'without agent', $p, '', $cp, '';
    printf "  %-36s %8.1f ms %+6.1f ms %11.1f ms %+6.1f ms\n", 'with agent, no SERVER_STARTER_PORT', $i, $i - $p, $ci, $ci - $cp;
    printf "  %-36s %8.1f ms %+6.1f ms %11.1f ms %+6.1f ms\n", 'with agent, adopting + READY', $a, $a - $p, $ca, $ca - $cp;
    printf "  %-36s %8.1f ms %+6.1f ms %11.1f ms %+6.1f ms\n", '  the same as -javaagent:', $j, $j - $p, $cj, $cj - $cp;
    next unless $ENV{APP_JAR};
    run_app($java, 1, 1, $ENV{APP_JAR}) for 1 .. 2;
    my (@aplain, @ainert, @aactive, @aclassic);
    for (1 .. $runs) {
        push @aplain, run_app($java, 0, 1, $ENV{APP_JAR});
        push @aactive, run_app($java, 1, 1, $ENV{APP_JAR});
        push @ainert, run_app($java, 1, 0, $ENV{APP_JAR});
        push @aclassic, run_app($java, 1, 1, $ENV{APP_JAR}, 'javaagent');
    }
    ($p, $i, $a, $j) = (median(@aplain), median(@ainert), median(@aactive), median(@aclassic));
    printf "  demo app, exec to first response   %10s %9s\n", 'wall median', 'added';
    printf "  %-36s %8.1f ms\n", 'without agent', $p;
    printf "  %-36s %8.1f ms %+6.1f ms\n", 'with agent, no SERVER_STARTER_PORT', $i, $i - $p;
    printf "  %-36s %8.1f ms %+6.1f ms\n", 'with agent, adopting + READY', $a, $a - $p;
    printf "  %-36s %8.1f ms %+6.1f ms\n", '  the same as -javaagent:', $j, $j - $p;
}
