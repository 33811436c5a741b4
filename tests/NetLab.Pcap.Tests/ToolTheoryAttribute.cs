using NetLab.Testing;

namespace NetLab.Pcap.Tests;

/// <summary>A theory that needs tools on PATH but not root (NetLab.Testing has only the fact form).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools) => Skip = Requirements.Missing(false, tools);
}
