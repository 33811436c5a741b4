namespace NetLab.Testing;

/// <summary>Where things are: the repository root, the shared captures, built programs.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>../shared/pcaps/tcpdump-tests beside the checkout.</summary>
    public static string TcpdumpCaptures => Path.GetFullPath(Path.Combine(Root, "..", "shared", "pcaps", "tcpdump-tests"));

    /// <summary>The dll of a NetLab program that the test project references (copied beside the test assembly).</summary>
    public static string ProgramDll(string executableName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, executableName + ".dll");
        return File.Exists(path) ? path
            : throw new FileNotFoundException($"{executableName}.dll is not beside the tests; add a ProjectReference to its project.", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetLab.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("NetLab.sln not found above " + AppContext.BaseDirectory);
    }
}
