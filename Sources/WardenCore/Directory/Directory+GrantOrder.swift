extension Directory.GrantRows {
    /// Puts the rows in user order, for `Loader.adopt`, which takes each user's grants
    /// in one go (a row of another user between two costs a search and a copy). A
    /// user's grants may change places among themselves: nothing answers by their order.
    public mutating func sortByUser() {
        guard zip(rows, rows.dropFirst()).contains(where: { $0.userID > $1.userID }) else { return }
        rows.sort { $0.userID < $1.userID }
    }
}
