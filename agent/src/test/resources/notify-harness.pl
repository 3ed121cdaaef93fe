#!/usr/bin/perl
# A minimal stand-in for our launcher's readiness side, for the agent tests while the Java
# launcher is not ready: binds TCP listeners like start_server, passes them plus a connected unix
# datagram socket (SERVER_STARTER_NOTIFY_FD) to ONE child, and prints every datagram it gets as
# "notify: <text with \n escaped>". TERM/INT: TERM the child, wait, exit.
# --extra=HOST:PORT binds a listener passed in SERVER_STARTER_EXTRA_PORT instead (a port start_server
# holds for the application).
# usage: notify-harness.pl --port=HOST:PORT [--port=...] [--extra=HOST:PORT...] -- command args...
use strict;
use warnings;
use IO::Socket::INET;
use IO::Handle;
use Socket;
use Fcntl;
use IO::Select;

$| = 1;
$^F = 1023; # sockets created from here on survive exec (no FD_CLOEXEC)

my @ports;
my @extras;
while (@ARGV && $ARGV[0] ne '--') {
    my $arg = shift @ARGV;
    if ($arg =~ /^--extra=(.+)$/) {
        push @extras, $1;
        next;
    }
    die "unknown option $arg\n" unless $arg =~ /^--port=(.+)$/;
    push @ports, $1;
}
shift @ARGV;
die "no command\n" unless @ARGV;

my @keep;
sub listeners {
    my @env;
    for my $spec (@_) {
        my ($host, $port) = $spec =~ /^(.+):(\d+)$/ or die "bad port $spec\n";
        my $sock = IO::Socket::INET->new(LocalAddr => $host, LocalPort => $port, Listen => 128,
            ReuseAddr => 1, Proto => 'tcp') or die "bind $spec: $!\n";
        push @keep, $sock;
        push @env, "$spec=" . fileno($sock);
    }
    return @env;
}
my @env = listeners(@ports);
my @extra_env = listeners(@extras);
$ENV{SERVER_STARTER_EXTRA_PORT} = join ';', @extra_env if @extra_env;
socketpair(my $mine, my $theirs, AF_UNIX, SOCK_DGRAM, PF_UNSPEC) or die "socketpair: $!\n";
$ENV{SERVER_STARTER_PORT} = join ';', @env;
$ENV{SERVER_STARTER_NOTIFY_FD} = fileno($theirs);
$ENV{SERVER_STARTER_GENERATION} = 1;

my $pid = fork();
die "fork: $!\n" unless defined $pid;
if ($pid == 0) {
    close $mine;
    exec @ARGV or die "exec: $!\n";
}
close $theirs;
print "harness: child $pid\n";
my $stop = 0;
$SIG{TERM} = $SIG{INT} = sub { $stop = 1 };
my $select = IO::Select->new($mine);
while (!$stop) {
    if ($select->can_read(0.2)) {
        my $buffer = '';
        if (defined recv($mine, $buffer, 4096, 0)) {
            (my $shown = $buffer) =~ s/\n/\\n/g;
            print "notify: $shown\n";
        }
    }
    last if waitpid($pid, 1) > 0;
}
kill 'TERM', $pid;
waitpid($pid, 0);
print "harness: exiting\n";
