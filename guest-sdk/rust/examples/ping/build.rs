// Generates the messages of proto/ping.proto (prost-build runs Debian's protoc).
fn main() -> std::io::Result<()> {
    println!("cargo:rerun-if-changed=proto/ping.proto");
    prost_build::compile_protos(&["proto/ping.proto"], &["proto"])
}
