using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Deliverability.Core.Bounces;

namespace Deliverability.Parse;

/// <summary><c>deliverability bench parse PATH...</c>: single-threaded parse speed, allocations per message and peak working set.</summary>
public static class BenchParseCommand
{
    private const int WarmUpMessages = 500;
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(3);

    public static Command Create()
    {
        var path = new Argument<string[]>("PATH") { Description = "Message files, directories or mbox files.", Arity = ArgumentArity.OneOrMore };
        var repeat = new Option<int>("--repeat") { Description = "Parse the input this many times.", DefaultValueFactory = _ => 1 };
        var command = new Command("parse", "Parse bounces single-threaded and print messages/s, MB/s, allocated bytes per message and peak working set (after an untimed warm-up of about 3 s over the first 500 messages).") { path, repeat };
        command.SetAction(parseResult =>
        {
            var parser = new BounceParser();
            var paths = parseResult.GetRequiredValue(path);
            var times = Math.Max(1, parseResult.GetValue(repeat));
            long messages = 0;
            long bytes = 0;
            long recipients = 0;
            // Untimed warm-up over the first messages until the JIT has promoted the hot code to its optimised tier
            // (tiered compilation waits for calls to settle, so a fixed small count is not enough).
            var warmUp = MessageSource.Enumerate(paths).Take(WarmUpMessages).Select(m => m.Raw).ToList();
            var warmUpClock = Stopwatch.StartNew();
            var warmUpPasses = 0;
            while (warmUp.Count > 0 && warmUpClock.Elapsed < WarmUpTime && warmUpPasses++ < 200)
            {
                foreach (var raw in warmUp)
                {
                    parser.Parse(raw);
                }
            }

            long parserAllocated = 0;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < times; i++)
            {
                foreach (var input in MessageSource.Enumerate(paths))
                {
                    var threadBefore = GC.GetAllocatedBytesForCurrentThread();
                    var parsed = parser.Parse(input.Raw);
                    parserAllocated += GC.GetAllocatedBytesForCurrentThread() - threadBefore;
                    messages++;
                    bytes += input.Raw.Length;
                    recipients += parsed.Recipients.Count;
                    input.ReturnBuffer();
                }
            }

            clock.Stop();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            using var process = Process.GetCurrentProcess();
            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
            var cpuSeconds = Math.Max((process.TotalProcessorTime - cpuBefore).TotalSeconds, 1e-9);
            var culture = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(culture, $"messages: {messages}  recipients: {recipients}  bytes: {bytes}  seconds: {seconds:F3}"));
            Console.WriteLine(string.Create(culture, $"messages/s: {messages / seconds:F1}"));
            Console.WriteLine(string.Create(culture, $"MB/s: {bytes / seconds / 1e6:F2}"));
            Console.WriteLine(string.Create(culture, $"cpu seconds: {cpuSeconds:F3}  messages per cpu-second: {messages / cpuSeconds:F1}"));
            Console.WriteLine(string.Create(culture, $"allocated bytes/message: {(messages == 0 ? 0 : allocated / messages)} (parser alone: {(messages == 0 ? 0 : parserAllocated / messages)})"));
            Console.WriteLine(string.Create(culture, $"peak working set MB: {process.PeakWorkingSet64 / 1e6:F1}"));
            return 0;
        });
        return command;
    }
}
