# "Datasets & DataLoaders" + "Transforms" (custom Dataset, Lambda one-hot with scatter_)
import numpy as np
import torch
from torch.utils.data import Dataset, DataLoader


class Lambda:
    """torchvision.transforms.Lambda stand-in."""

    def __init__(self, lambd):
        self.lambd = lambd

    def __call__(self, x):
        return self.lambd(x)


class CustomImageDataset(Dataset):
    def __init__(self, annotations, img_dir, transform=None, target_transform=None):
        self.img_labels = annotations
        self.img_dir = img_dir
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return len(self.img_labels)

    def __getitem__(self, idx):
        img_path = f"{self.img_dir}/{self.img_labels[idx][0]}"
        image = torch.arange(28 * 28, dtype=torch.uint8).reshape(1, 28, 28) + idx
        label = self.img_labels[idx][1]
        if self.transform:
            image = self.transform(image)
        if self.target_transform:
            label = self.target_transform(label)
        return image, label


annotations = [(f"img{i}.jpg", (3 * i) % 10) for i in range(20)]
to_tensor = Lambda(lambda img: img.float() / 255)
target_transform = Lambda(lambda y: torch.zeros(10, dtype=torch.float).scatter_(0, torch.tensor(y), value=1))

training_data = CustomImageDataset(annotations, "imgs", transform=to_tensor, target_transform=target_transform)
print(len(training_data))
img, label = training_data[3]
print(img.shape, img.dtype, img[0, 0, :5])
print(label)

labels_map = {
    0: "T-Shirt", 1: "Trouser", 2: "Pullover", 3: "Dress", 4: "Coat",
    5: "Sandal", 6: "Shirt", 7: "Sneaker", 8: "Bag", 9: "Ankle Boot",
}
for i in range(1, 5):
    img, label = training_data[i]
    print(labels_map[int(label.argmax())], img.squeeze().shape)

plain = CustomImageDataset(annotations, "imgs", transform=to_tensor)
train_dataloader = DataLoader(plain, batch_size=8, shuffle=False)
test_dataloader = DataLoader(plain, batch_size=8, shuffle=True)

# Display image and label.
train_features, train_labels = next(iter(train_dataloader))
print(f"Feature batch shape: {train_features.size()}")
print(f"Labels batch shape: {train_labels.size()}")
img = train_features[0].squeeze()
label = train_labels[0]
print(img.shape)
print(f"Label: {label}")
print(train_labels)

for batch, (X, y) in enumerate(train_dataloader):
    print(batch, X.shape, y.tolist())
print(len(train_dataloader), len(test_dataloader))
shuffled = torch.cat([y for _, y in test_dataloader])
print(sorted(shuffled.tolist()) == sorted(y for _, y in annotations))

onehot_loader = DataLoader(training_data, batch_size=6, drop_last=True)
for X, y in onehot_loader:
    print(X.shape, y.shape, y.argmax(1))

# one-hot through scatter_ on a batch, and the functional form
ys = torch.tensor([3, 0, 9, 1])
oh = torch.zeros(len(ys), 10).scatter_(1, ys.unsqueeze(1), 1.0)
print(oh)
print(torch.equal(oh, torch.nn.functional.one_hot(ys, 10).float()))

# a Dataset over numpy data (ToTensor scales uint8 HWC to float CHW)
arr = (np.arange(2 * 4 * 4 * 3) % 256).astype(np.uint8).reshape(2, 4, 4, 3)
t = torch.from_numpy(arr[0]).permute(2, 0, 1).float().div(255)
print(t.shape, t.dtype)
print(t[:, 0, :2])
