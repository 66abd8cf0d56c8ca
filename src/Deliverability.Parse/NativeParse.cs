using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Deliverability.Parse;

/// <summary>
/// How the <c>deliverability</c> CLI hands <c>parse</c> to a native (AOT) <c>deliverability-parse</c> beside it: the CLI
/// passes its own copy of this assembly's version, and a native build of another version declines with
/// <see cref="VersionMismatchExitCode"/> before reading anything, so that the CLI parses in-process instead of printing
/// what an older parser says.
/// </summary>
public static class NativeParse
{
    public const string ExecutableName = "deliverability-parse";
    public const string ExpectedVersionVariable = "DELIVERABILITY_PARSE_VERSION";
    public const int VersionMismatchExitCode = 86;

    /// <summary>
    /// Whether this CPU runs the native build, which is compiled for x86-64-v3 on x64 (Deliverability.Parse.csproj): a
    /// native executable started on a CPU without those instruction sets stops before it reads anything.
    /// </summary>
    public static bool CpuRunsNativeBuild =>
        RuntimeInformation.ProcessArchitecture != Architecture.X64 ||
        (Avx2.IsSupported && Bmi1.IsSupported && Bmi2.IsSupported && Fma.IsSupported && Lzcnt.IsSupported);

    /// <summary>The informational version, which the SDK ends with the commit the build was made from.</summary>
    public static string Version { get; } =
        typeof(NativeParse).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
