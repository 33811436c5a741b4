using Xunit;

namespace NetLab.Testing;

/// <summary>What the machine offers a test: root, and tools on PATH.</summary>
public static class Requirements
{
    public static bool IsRoot { get; } = Environment.UserName == "root" || GetEuid() == 0;

    public static bool HasTool(string name) => FindTool(name) is not null;

    public static string? FindTool(string name)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]);
        return dirs.Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>A skip reason naming what is missing, or null when the test can run.</summary>
    public static string? Missing(bool needsRoot, IEnumerable<string> tools)
    {
        var missing = tools.Where(t => !HasTool(t)).ToList();
        var reasons = new List<string>();
        if (needsRoot && !IsRoot)
        {
            reasons.Add("needs root (network namespaces and raw sockets); run scripts/test.sh as root");
        }
        if (missing.Count > 0)
        {
            reasons.Add($"needs {string.Join(", ", missing)} on PATH; scripts/test.sh installs them");
        }
        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();
}

/// <summary>A fact that needs root (namespaces, raw frames) and optionally some tools; skips saying what is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute(params string[] tools) => Skip = Requirements.Missing(true, tools);
}

/// <summary>A theory with the requirements of <see cref="RootFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute(params string[] tools) => Skip = Requirements.Missing(true, tools);
}

/// <summary>A theory that needs tools on PATH but not root.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools) => Skip = Requirements.Missing(false, tools);
}

/// <summary>A fact that needs tools on PATH but not root.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools) => Skip = Requirements.Missing(false, tools);
}
