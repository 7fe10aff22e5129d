// Generates the messages of proto/counter.proto (prost-build runs Debian's protoc).
fn main() -> std::io::Result<()> {
    println!("cargo:rerun-if-changed=proto/counter.proto");
    prost_build::compile_protos(&["proto/counter.proto"], &["proto"])
}
