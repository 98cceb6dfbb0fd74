fn main() {
    wrapup_gadget::mount();
}
