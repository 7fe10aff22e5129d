// Generates the messages of the shop's orders.proto (prost-build runs Debian's protoc).
fn main() -> std::io::Result<()> {
    let proto_dir = "../../src/main/proto/shop/v1";
    println!("cargo:rerun-if-changed={}/orders.proto", proto_dir);
    prost_build::compile_protos(&[format!("{}/orders.proto", proto_dir)], &[proto_dir])
}
