using System.Diagnostics;
using Deliverability.Parse;

namespace Deliverability.Cli;

/// <summary>
/// <c>deliverability parse</c> runs a native <c>deliverability-parse</c> of the same version when one was published
/// beside the CLI (docs/parser.md#speed): the same parse code without the JIT's start-up and with ahead-of-time
/// compiled code, several times faster on a directory of files. Output, order and exit code are the native run's.
/// </summary>
internal static class NativeParseHandoff
{
    /// <summary>
    /// The native run's exit code, or null when there is none to run (or it is another version, or this CPU lacks the
    /// instruction sets it was compiled for): parse in-process.
    /// </summary>
    public static int? TryRun(string[] args)
    {
        if (args.Length == 0 || args[0] != "parse" || !NativeParse.CpuRunsNativeBuild)
        {
            return null;
        }

        var executable = Path.Combine(AppContext.BaseDirectory, NativeParse.ExecutableName);
        if (!File.Exists(executable))
        {
            return null;
        }

        // Standard input, output and error are inherited: the native process writes straight to the caller's output.
        var start = new ProcessStartInfo(executable) { UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[NativeParse.ExpectedVersionVariable] = NativeParse.Version;
        using var process = Process.Start(start);
        if (process is null)
        {
            return null;
        }

        process.WaitForExit();
        return process.ExitCode == NativeParse.VersionMismatchExitCode ? null : process.ExitCode;
    }
}
