fn main() -> std::process::ExitCode {
    xwalk::cli::main()
}
