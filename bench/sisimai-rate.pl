#!/usr/bin/perl
# Parses PATH (a Maildir-like directory of messages or an mbox) with Sisimai, single-threaded, and prints its rate.
# Usage: perl sisimai-rate.pl PATH [REPEAT]
use strict;
use warnings;
use Sisimai;
use Sisimai::Mail;
use Sisimai::Message;
use Sisimai::Data;
use Time::HiRes qw(time);

my $path   = shift or die "usage: $0 PATH [REPEAT]\n";
my $repeat = shift // 1;
my ($messages, $bytes, $recipients) = (0, 0, 0);
my $started = time;
for (1 .. $repeat) {
    my $mail = Sisimai::Mail->new($path) or die "Sisimai cannot read $path\n";
    while (my $raw = $mail->data->read) {
        $messages++;
        $bytes += length $raw;
        my $message = Sisimai::Message->new('data' => $raw) or next;
        my $data = Sisimai::Data->make('data' => $message, 'delivered' => 1, 'vacation' => 1) || [];
        $recipients += scalar @$data;
    }
}
my $seconds = time - $started;
$seconds = 1e-9 if $seconds <= 0;
printf "messages: %d  recipients: %d  bytes: %d  seconds: %.3f\n", $messages, $recipients, $bytes, $seconds;
printf "messages/s: %.1f\n", $messages / $seconds;
printf "MB/s: %.2f\n", $bytes / $seconds / 1e6;
