using NetLab.Testing;

namespace NetLab.Sniffer.Tests;

/// <summary>A theory that needs tools on PATH but not root (NetLab.Testing has the fact form only).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools) => Skip = Requirements.Missing(false, tools);
}
