// Generates the messages of the shop's inventory.proto (prost-build runs Debian's protoc).
fn main() -> std::io::Result<()> {
    let proto_dir = "../../src/main/proto/shop/v1";
    println!("cargo:rerun-if-changed={}/inventory.proto", proto_dir);
    prost_build::compile_protos(&[format!("{}/inventory.proto", proto_dir)], &[proto_dir])
}
