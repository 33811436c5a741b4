using NetLab.Ftp.Server;
using NetLab.Testing;

namespace NetLab.Ftp.Tests.Server;

public sealed class VirtualFileSystemTests : IDisposable
{
    private readonly FtpTempDirectory _temp = new();
    private readonly string _root;
    private readonly VirtualFileSystem _fs;

    public VirtualFileSystemTests()
    {
        _root = _temp.Combine("root");
        Directory.CreateDirectory(Path.Combine(_root, "docs"));
        Directory.CreateDirectory(_temp.Combine("outside"));
        File.WriteAllText(_temp.Combine("outside", "secret.txt"), "secret");
        _fs = new VirtualFileSystem(_root);
    }

    [Theory]
    [InlineData("/", "a.txt", "/a.txt")]
    [InlineData("/docs", "a.txt", "/docs/a.txt")]
    [InlineData("/docs", "../a.txt", "/a.txt")]
    [InlineData("/docs", "/etc/passwd", "/etc/passwd")]
    [InlineData("/docs", "./x/./y//z", "/docs/x/y/z")]
    [InlineData("/", "..%2f..%2fetc", "/..%2f..%2fetc")]
    public void Combine_StaysVirtual(string cwd, string path, string expected)
        => Assert.Equal(expected, VirtualFileSystem.Combine(cwd, path));

    [Theory]
    [InlineData("/", "..")]
    [InlineData("/", "../etc/passwd")]
    [InlineData("/docs", "../../etc/passwd")]
    [InlineData("/docs", "x/../../../")]
    public void Combine_ClimbingAboveRoot_IsRefused(string cwd, string path)
        => Assert.Null(VirtualFileSystem.Combine(cwd, path));

    [Fact]
    public void Combine_VeryLongOrNulPath_IsRefused()
    {
        Assert.Null(VirtualFileSystem.Combine("/", new string('a', VirtualFileSystem.MaxPathLength + 1)));
        Assert.Null(VirtualFileSystem.Combine("/", "a\0b"));
    }

    [Fact]
    public void TryResolve_AbsolutePath_MapsUnderRoot()
    {
        Assert.True(_fs.TryResolve("/etc/passwd", out string? real));
        Assert.Equal(Path.Combine(_fs.RealRoot, "etc", "passwd"), real);
        Assert.False(File.Exists(real));
    }

    [Fact]
    public void TryResolve_SymlinkLeavingRoot_IsRefused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "escape"), _temp.Combine("outside"));
        File.CreateSymbolicLink(Path.Combine(_root, "secret-link"), _temp.Combine("outside", "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(_root, "relative"), "../outside/secret.txt");

        Assert.False(_fs.TryResolve("/escape", out _));
        Assert.False(_fs.TryResolve("/escape/secret.txt", out _));
        Assert.False(_fs.TryResolve("/secret-link", out _));
        Assert.False(_fs.TryResolve("/relative", out _));
    }

    [Fact]
    public void TryResolve_DanglingSymlink_IsRefused()
    {
        // Writing through it would create a file wherever it points.
        File.CreateSymbolicLink(Path.Combine(_root, "dangling"), _temp.Combine("outside", "new-file"));
        Assert.False(_fs.TryResolve("/dangling", out _));
    }

    [Fact]
    public void TryResolve_SymlinkInsideRoot_IsFollowed()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "docs-link"), Path.Combine(_root, "docs"));
        Assert.True(_fs.TryResolve("/docs-link/new.txt", out string? real));
        Assert.Equal(Path.Combine(_fs.RealRoot, "docs", "new.txt"), real);
    }

    [Fact]
    public void Constructor_MissingRoot_SaysWhatToDo()
    {
        var ex = Assert.Throws<DirectoryNotFoundException>(() => new VirtualFileSystem(_temp.Combine("nope")));
        Assert.Contains("--root", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
